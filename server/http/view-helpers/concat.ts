/** `{{concat "role." user.role}}`: joins its arguments into one string (for building message keys). */
export function concat(...args: unknown[]): string {
  return args.slice(0, -1).map(String).join('');
}
