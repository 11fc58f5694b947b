/** A setting the construct always passes; its absence is a deployment bug, named at cold start. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set (the function's construct sets it)`);
  return value;
}
