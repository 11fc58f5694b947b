/** One line per event; tests pass a collecting logger to assert on what the sandbox logged. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (m, f) => console.log(format('info', m, f)),
  warn: (m, f) => console.warn(format('warn', m, f)),
  error: (m, f) => console.error(format('error', m, f)),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export class MemoryLogger implements Logger {
  readonly lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }
}

function format(level: string, message: string, fields?: Record<string, unknown>): string {
  const rest = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  return `[sandbox] ${level} ${message}${rest}`;
}
