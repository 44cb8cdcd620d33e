/** `token:*` commands: API bearer tokens for the JSON API (the plain token is printed once, only its hash is kept). */
import type { Command } from 'commander';
import { z } from 'zod';
import { CliError, orNotFound, parseOptions, withContext } from './context.js';
import { formatTable } from './table.js';

const CreateToken = z.object({
  email: z.email({ error: 'not a valid email address' }),
  label: z.string().trim().max(100, { error: 'at most 100 characters' }).default(''),
});
const TokenId = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, { error: 'must be a positive whole number' })
    .transform(Number),
});

export function registerTokenCommands(program: Command): void {
  program
    .command('token:create')
    .description("create an API token for an organizer (it acts with that organizer's role) and print it once")
    .requiredOption('--email <email>', "the organizer's email")
    .option('--label <label>', 'what the token is for, e.g. "registration sync"')
    .action(async (opts: { email: string; label?: string }) => {
      const { email, label } = parseOptions(CreateToken, opts);
      await withContext(async ({ services, config, print }) => {
        const { id, token } = await orNotFound(
          services.users.createToken(email, label),
          `no active organizer with email ${email}`,
        );
        print(`Created API token ${id} for ${email}${label ? ` (${label})` : ''}. It is shown only now:`);
        print(token);
        print(`Use it as: curl -H "Authorization: Bearer ${token}" ${config.publicUrl}/api/v1/...`);
      });
    });

  program
    .command('token:list')
    .description('list API tokens (never the tokens themselves)')
    .action(async () => {
      await withContext(async ({ services, print }) => {
        const tokens = await services.users.listTokens();
        print(
          formatTable(
            ['ID', 'EMAIL', 'LABEL', 'CREATED', 'LAST USED', 'REVOKED'],
            tokens.map((t) => [
              String(t.id),
              t.email,
              t.label || '-',
              t.created_at,
              t.last_used_at ?? '-',
              t.revoked_at ?? '-',
            ]),
          ),
        );
      });
    });

  program
    .command('token:revoke')
    .description('revoke an API token by its id (see token:list)')
    .argument('<id>', 'token id')
    .action(async (rawId: string) => {
      const { id } = parseOptions(TokenId, { id: rawId }, (key) => `<${key}>`);
      await withContext(async ({ services, print }) => {
        if (!(await services.users.revokeToken(id))) throw new CliError(`no active token with id ${id}`);
        print(`Revoked API token ${id}.`);
      });
    });
}
