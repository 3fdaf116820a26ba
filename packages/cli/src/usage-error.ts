/** Bad command-line usage: unknown command or option, a missing or malformed value. Exit status 2. */
export class UsageError extends Error {
  /** The command whose usage line should be shown with the error, e.g. `incidents list`. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}
