import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { Construct } from 'constructs';
import { accessPolicyStatements, type AccessRole } from './access-rules';

export interface StorageAccessPolicyProps {
  readonly bucket: s3.IBucket;
  /** The identity pool role that gets the access. */
  readonly role: iam.IRole;
  /** Which of the rules' principals the role stands for. */
  readonly accessRole: AccessRole;
}

/** Attaches one role's share of the access rules to it, as a policy in the bucket's stack. */
export class StorageAccessPolicy extends Construct {
  public readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: StorageAccessPolicyProps) {
    super(scope, id);
    const statements = accessPolicyStatements(props.accessRole, props.bucket.bucketArn);
    this.policy = new iam.Policy(this, 'Policy', {
      roles: [props.role],
      statements: statements.map((statement) => iam.PolicyStatement.fromJson(statement)),
    });

    // Each folder wildcard is the rule itself, so each is acknowledged on its own: a new
    // wildcard path shows up as a fresh finding instead of hiding behind a blanket one.
    const stack = Stack.of(this);
    const acknowledged = new Set<string>();
    for (const statement of statements) {
      for (const resource of statement.Resource.filter((r) => r.includes('*'))) {
        const id = `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(resource))}]`;
        if (acknowledged.has(id)) continue;
        acknowledged.add(id);
        Validations.of(this.policy).acknowledge({
          id,
          reason: `The ${props.accessRole} role reaches every object under this folder by design (storage access rules, docs/security-model.md#storage-matrix); the access matrix tests prove no other folder is reachable.`,
        });
      }
    }
  }
}
