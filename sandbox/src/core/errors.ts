/** An AWS-shaped error: each protocol's serializer turns it into its wire format. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    /** Extra fields some protocols carry (S3: Key, BucketName, Resource...). */
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export function notImplemented(operation: string): AwsError {
  return new AwsError('NotImplemented', `${operation} is not implemented by the sandbox.`, 501);
}
