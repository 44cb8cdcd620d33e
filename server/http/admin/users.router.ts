/**
 * The users page (owners only, permission `manage-users`): list organizers, create one (its
 * one-time password is shown once, on the page that answers the POST), change a role, disable
 * or enable, reset a password. The last active owner is protected by the user service
 * (AppError 'last-owner' → the list again with the message, 409).
 */
import { Router, type Request, type Response } from 'express';
import { ORGANIZER_ROLES, isRole } from '../../domain/roles.js';
import { AppError } from '../../errors.js';
import { fieldErrorsFromZod, type FieldError } from '../../field-errors.js';
import type { Translate } from '../../i18n/catalog.js';
import { NewUser } from '../../services/user.service.js';
import { parseForm } from '../form.js';
import { requirePasswordChanged, requirePermission } from '../middleware/auth.js';
import { renderPage } from '../middleware/render.js';
import type { RouterDeps } from '../routes.js';
import {
  fieldLabels,
  formSpec,
  mapFieldErrors,
  renderSections,
  typedValues,
  type SectionDef,
} from './contest-parts.router.js';

const roleOptions = ({ t }: { t: Translate }) => ORGANIZER_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }));

const NEW_USER: SectionDef<{ t: Translate }>[] = [
  {
    columns: 3,
    fields: [
      { name: 'email', label: 'users.email', type: 'email', required: true },
      { name: 'displayName', label: 'users.displayName', required: true },
      { name: 'role', label: 'users.role', control: 'select', options: roleOptions },
    ],
  },
];

interface PageState {
  values?: unknown;
  fieldErrors?: FieldError[];
  status?: number;
  alert?: string;
  secret?: { message: string; password: string };
}

export function usersRouter({ services, views }: RouterDeps): Router {
  const router = Router();
  router.use(requirePermission('read'), requirePasswordChanged, requirePermission('manage-users'));

  async function renderUsers(req: Request, res: Response, state: PageState = {}) {
    const { t, locale } = res.locals;
    const when = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    const users = (await services.users.list()).map((u) => ({
      ...u,
      href: `/admin/users/${u.id}`,
      isSelf: u.id === req.user?.id,
      roleLabel: t(`role.${u.role}`),
      lastLogin: u.lastLoginAt ? when.format(new Date(u.lastLoginAt)) : t('users.never'),
      roles: roleOptions({ t }).map((o) => ({ ...o, selected: o.value === u.role })),
    }));
    renderPage(
      views,
      res,
      'admin/users/index',
      {
        title: t('users.title'),
        section: 'users',
        users,
        count: users.length,
        roleHelp: ORGANIZER_ROLES.map((r) => ({ label: t(`role.${r}`), help: t(`role.${r}.help`) })),
        sections: renderSections(NEW_USER, { t }),
        inlineErrors: true,
        fieldLabels: fieldLabels(NEW_USER, t),
        alert: state.alert,
        secret: state.secret,
        backPath: '/admin/users',
      },
      { values: state.values ?? { role: 'admin' }, fieldErrors: state.fieldErrors, status: state.status },
    );
  }

  async function userOf(req: Request) {
    const id = Number(req.params.id);
    const user = (await services.users.list()).find((u) => u.id === id);
    if (!user) throw new AppError('not-found');
    return user;
  }

  /** Runs a change; the last owner's protection comes back as the list with its message. */
  async function change(req: Request, res: Response, run: () => Promise<void>) {
    try {
      await run();
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'last-owner') throw err;
      return renderUsers(req, res, { alert: res.locals.t('error.last-owner'), status: err.status });
    }
    req.session.flash = 'common.saved';
    res.redirect(303, '/admin/users');
  }

  router.get('/', (req, res) => renderUsers(req, res));

  router.post('/', async (req, res) => {
    const values = typedValues(req.body, NEW_USER);
    const parsed = NewUser.safeParse(parseForm(req.body, formSpec(NEW_USER)), { reportInput: true });
    if (!parsed.success) {
      return renderUsers(req, res, { values, fieldErrors: fieldErrorsFromZod(parsed.error), status: 422 });
    }
    try {
      const { password } = await services.users.create(parsed.data);
      const message = res.locals.t('users.created', { email: parsed.data.email, password });
      await renderUsers(req, res, { secret: { message, password }, status: 201 });
    } catch (err) {
      if (!(err instanceof AppError) || !err.fields.length) throw err;
      await renderUsers(req, res, { values, fieldErrors: mapFieldErrors(err.fields, NEW_USER), status: err.status });
    }
  });

  router.post('/:id/role', async (req, res) => {
    const user = await userOf(req);
    const role: unknown = req.body?.role;
    if (!isRole(role)) throw new AppError('validation-failed', {}, [{ path: 'role', code: 'invalid-value' }]);
    await change(req, res, () => services.users.setRole(user.id, role));
  });

  router.post('/:id/disable', async (req, res) => {
    const user = await userOf(req);
    await change(req, res, () => services.users.setDisabled(user.id, true));
  });

  router.post('/:id/enable', async (req, res) => {
    const user = await userOf(req);
    await change(req, res, () => services.users.setDisabled(user.id, false));
  });

  router.post('/:id/reset', async (req, res) => {
    const user = await userOf(req);
    const password = await services.users.resetPassword(user.email);
    const message = res.locals.t('users.resetDone', { email: user.email, password });
    await renderUsers(req, res, { secret: { message, password } });
  });

  return router;
}
