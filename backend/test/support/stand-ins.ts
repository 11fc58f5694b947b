// Resolves the CloudFormation intrinsics of a synthesized app to stand-in values, so the
// policies can be evaluated as IAM would see them after deployment.

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
}

export interface StackTemplate {
  readonly Resources: Record<string, Resource>;
  readonly Outputs?: Record<string, { Value: Json; Export?: { Name: Json } }>;
}

const PSEUDO: Record<string, string> = {
  'AWS::AccountId': ACCOUNT,
  'AWS::Region': REGION,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'stack',
};

/** A deterministic stand-in physical id for a logical id, per resource type. */
export function standInId(logicalId: string, type: string): string {
  const lower = logicalId.toLowerCase();
  switch (type) {
    case 'AWS::S3::Bucket':
      return `stand-in-${lower}`.slice(0, 63);
    case 'AWS::Cognito::IdentityPool':
      return `${REGION}:00000000-0000-4000-8000-${hex12(logicalId)}`;
    case 'AWS::Cognito::UserPool':
      return `${REGION}_StandIn${hex12(logicalId).slice(0, 5)}`;
    case 'AWS::CloudFront::Distribution':
      return `E${hex12(logicalId).toUpperCase()}`;
    default:
      return logicalId;
  }
}

function hex12(text: string): string {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash.toString(16).padStart(12, '0').slice(-12);
}

function attribute(logicalId: string, type: string, name: string): string {
  const id = standInId(logicalId, type);
  switch (`${type}.${name}`) {
    case 'AWS::S3::Bucket.Arn':
      return `arn:aws:s3:::${id}`;
    case 'AWS::S3::Bucket.RegionalDomainName':
      return `${id}.s3.${REGION}.amazonaws.com`;
    case 'AWS::IAM::Role.Arn':
      return `arn:aws:iam::${ACCOUNT}:role/${id}`;
    case 'AWS::CloudFront::Distribution.DomainName':
      return `${id.toLowerCase()}.cloudfront.net`;
    case 'AWS::Cognito::UserPool.ProviderName':
      return `cognito-idp.${REGION}.amazonaws.com/${id}`;
    case 'AWS::Cognito::UserPool.Arn':
      return `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${id}`;
    case 'AWS::Cognito::IdentityPool.Name':
      return `${logicalId}Name`;
    case 'AWS::DynamoDB::Table.Arn':
      return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${id}`;
    case 'AWS::Logs::LogGroup.Arn':
      return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${id}:*`;
    case 'AWS::SQS::Queue.Arn':
      return `arn:aws:sqs:${REGION}:${ACCOUNT}:${id}`;
    case 'AWS::Lambda::Function.Arn':
      return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}`;
    case 'AWS::AppSync::GraphQLApi.Arn':
      return `arn:aws:appsync:${REGION}:${ACCOUNT}:apis/${id}`;
    case 'AWS::AppSync::GraphQLApi.ApiId':
      return id;
    case 'AWS::AppSync::GraphQLApi.GraphQLUrl':
      return `https://${id.toLowerCase()}.appsync-api.${REGION}.amazonaws.com/graphql`;
    case 'AWS::CloudFront::OriginAccessControl.Id':
    case 'AWS::CloudFront::ResponseHeadersPolicy.Id':
      return id;
    default:
      throw new Error(`No stand-in for Fn::GetAtt ${logicalId}.${name} (${type})`);
  }
}

/** Every stack's template with intrinsics replaced by stand-ins; imports follow their exports. */
export function resolveTemplates(templates: Record<string, StackTemplate>): Record<string, StackTemplate> {
  const exports: Exports = new Map();
  for (const template of Object.values(templates)) {
    for (const output of Object.values(template.Outputs ?? {})) {
      if (output.Export) exports.set(output.Export.Name as string, { value: output.Value, owner: template });
    }
  }
  const resolved: Record<string, StackTemplate> = {};
  for (const [name, template] of Object.entries(templates)) {
    const resolve = (value: Json) => resolveIn(value, template, exports);
    resolved[name] = {
      // CDKMetadata is analytics, not access: its region conditions are left alone.
      Resources: Object.fromEntries(
        Object.entries(template.Resources)
          .filter(([, resource]) => resource.Type !== 'AWS::CDK::Metadata')
          .map(([id, resource]) => [
            id,
            { Type: resource.Type, Properties: resolve(resource.Properties ?? {}) as Record<string, Json> },
          ]),
      ),
      Outputs: Object.fromEntries(
        Object.entries(template.Outputs ?? {}).map(([key, output]) => [
          key,
          { Value: resolve(output.Value) },
        ]),
      ),
    };
  }
  return resolved;
}

/** Export name -> its value and the template that declares it (whose resources the value refers to). */
type Exports = Map<string, { readonly value: Json; readonly owner: StackTemplate }>;

function resolveIn(value: Json, template: StackTemplate, exports: Exports): Json {
  const recurse = (v: Json, t = template) => resolveIn(v, t, exports);
  if (Array.isArray(value)) return value.map((v) => recurse(v));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = value[key] as Json;
    switch (key) {
      case 'Ref': {
        const ref = arg as string;
        if (PSEUDO[ref] !== undefined) return PSEUDO[ref];
        const resource = template.Resources[ref];
        if (!resource) throw new Error(`Ref to unknown resource ${ref}`);
        return standInId(ref, resource.Type);
      }
      case 'Fn::GetAtt': {
        const [logicalId, name] = arg as [string, string];
        const resource = template.Resources[logicalId];
        if (!resource) throw new Error(`Fn::GetAtt of unknown resource ${logicalId}`);
        return attribute(logicalId, resource.Type, name);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, Json[]];
        return parts.map((part) => String(recurse(part))).join(separator);
      }
      case 'Fn::Sub': {
        // The string form CDK writes for asset locations: only pseudo parameters inside.
        if (typeof arg !== 'string') throw new Error('Unsupported Fn::Sub with variables');
        return arg.replace(/\$\{([^}]+)\}/g, (_all, name: string) => {
          const value = PSEUDO[name];
          if (value === undefined) throw new Error(`Fn::Sub of unknown name ${name}`);
          return value;
        });
      }
      case 'Fn::ImportValue': {
        const name = recurse(arg) as string;
        const exported = exports.get(name);
        if (exported === undefined) throw new Error(`Fn::ImportValue of unknown export ${name}`);
        return recurse(exported.value, exported.owner);
      }
      default:
        if (key.startsWith('Fn::')) throw new Error(`Unsupported intrinsic ${key}`);
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, recurse(v)]));
}
