/** A template or cloud assembly the sandbox cannot deploy; the message names the stack and resource. */
export class DeployError extends Error {
  override readonly name = 'DeployError';
}

/** A value that only a service the sandbox does not emulate could provide. */
export class NotEmulatedError extends DeployError {}
