/** A template or cloud assembly the sandbox cannot deploy; the message names the stack and resource. */
export class DeployError extends Error {
  override readonly name = 'DeployError';
}
