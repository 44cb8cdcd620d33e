/** Small comparison helpers for templates: eq, ne, and, or, not, gt, startsWith (a path prefix). */
type Helper = (...args: unknown[]) => unknown;
const values = (args: unknown[]) => args.slice(0, -1); // the last argument is Handlebars' options

export const compare: Record<string, Helper> = {
  eq: (...args) => {
    const [a, b] = values(args);
    return String(a) === String(b);
  },
  ne: (...args) => {
    const [a, b] = values(args);
    return String(a) !== String(b);
  },
  and: (...args) => values(args).every(Boolean),
  or: (...args) => values(args).find(Boolean) ?? false,
  not: (...args) => !values(args)[0],
  startsWith: (...args) => {
    const [text, prefix] = values(args);
    return typeof text === 'string' && typeof prefix === 'string' && (text === prefix || text.startsWith(`${prefix}/`));
  },
  gt: (...args) => {
    const [a, b] = values(args);
    return Number(a) > Number(b);
  },
};
