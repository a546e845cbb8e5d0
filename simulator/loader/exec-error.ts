/** Why execve fails: the errno the kernel would return, and the reason. */
export class ExecError extends Error {
  constructor(
    readonly errno: 'ENOEXEC' | 'EINVAL' | 'ELIBBAD' | 'ENOENT' | 'EACCES' | 'E2BIG' | 'ENOMEM' | 'EEXIST' | 'EFAULT',
    readonly reason: string,
  ) {
    super(`${reason} (execve fails with ${errno})`);
    this.name = 'ExecError';
  }
}
