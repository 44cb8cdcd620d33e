/** `user:*` commands: create an organizer, list them, reset a password (one-time passwords are printed once). */
import type { Command } from 'commander';
import { z } from 'zod';
import { ORGANIZER_ROLES } from '../../server/domain/roles.js';
import { NewUser } from '../../server/services/user.service.js';
import { orNotFound, parseOptions, rethrowAs, withContext } from './context.js';
import { formatTable } from './table.js';

const Email = z.object({ email: z.email({ error: 'not a valid email address' }) });

export function registerUserCommands(program: Command): void {
  program
    .command('user:create')
    .description(`create an organizer account and print its one-time password (roles: ${ORGANIZER_ROLES.join(', ')})`)
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', ORGANIZER_ROLES.join(' | '))
    .action(async (opts: { email: string; name: string; role: string }) => {
      const input = parseOptions(NewUser, { email: opts.email, displayName: opts.name, role: opts.role });
      await withContext(async ({ services, config, print }) => {
        const { id, password } = await rethrowAs(
          services.users.create(input),
          ['key-taken'],
          `an organizer with email ${input.email} already exists (use user:reset-password to give them a new password)`,
        );
        print(`Created ${input.role} ${input.email} (id ${id}).`);
        print(`One-time password (shown only now; must be changed at first sign-in): ${password}`);
        print(`Sign in at ${config.publicUrl}/admin/login`);
      });
    });

  program
    .command('user:list')
    .description('list organizer accounts')
    .action(async () => {
      await withContext(async ({ services, print }) => {
        const users = await services.users.list();
        const status = (u: (typeof users)[number]) =>
          u.disabled ? 'disabled' : u.mustChangePassword ? 'must change password' : 'active';
        print(
          formatTable(
            ['ID', 'EMAIL', 'NAME', 'ROLE', 'STATUS', 'LAST SIGN-IN'],
            users.map((u) => [String(u.id), u.email, u.displayName, u.role, status(u), u.lastLoginAt ?? '-']),
          ),
        );
      });
    });

  program
    .command('user:reset-password')
    .description('set a new one-time password for an organizer and print it')
    .requiredOption('--email <email>', 'sign-in email')
    .action(async (opts: { email: string }) => {
      const { email } = parseOptions(Email, opts);
      await withContext(async ({ services, print }) => {
        const password = await orNotFound(services.users.resetPassword(email), `no organizer with email ${email}`);
        print(`New one-time password for ${email} (shown only now; must be changed at next sign-in): ${password}`);
      });
    });
}
