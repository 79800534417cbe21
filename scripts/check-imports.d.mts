/** Every problem in the import graph of the files under `dir`, as lines to print. */
export function checkImports(dir: string): string[];
/** Every module a file names, with whether nothing of it exists at run time. */
export function importsOf(
  path: string,
  text?: string,
): { specifier: string; typeOnly: boolean; line: number }[];
