/** Joins the class names that are set: `cx('pill', small && 'pill-small')`. */
export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}
