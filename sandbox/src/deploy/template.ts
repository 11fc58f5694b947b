/**
 * Deploys one CloudFormation template: evaluates Conditions, resolves intrinsic functions and
 * pseudo parameters, and gives each resource its physical id and attributes. Resources are
 * created lazily, when first referenced, which orders them by their references for free.
 *
 * Hand-written: no maintained library resolves CloudFormation intrinsics outside AWS.
 */
import type { Template } from './assembly';
import { DeployError, NotEmulatedError } from './errors';
import { partitionOf } from './partition';
import { idFormats, type PhysicalIdStore } from './physical-ids';
import {
  IDENTIFIED_TYPES,
  IGNORED_TYPES,
  RESOURCE_TYPES,
  unsupportedPhysicalId,
  type NamingContext,
} from './resource-types';

export interface DeployedResource {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  /** What `Ref` returns. */
  readonly physicalId: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Fully resolved properties (empty for types the sandbox does not emulate: those are never resolved). */
  readonly properties: Readonly<Record<string, unknown>>;
  readonly supported: boolean;
  /** The resource's `Metadata` as written (CDK puts `aws:asset:path` there when asset metadata is on). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /**
   * For a custom resource: the logical id of the function its `ServiceToken` names with
   * `Fn::GetAtt <id>.Arn`, read without resolving anything (unemulated custom resources are never resolved).
   */
  readonly serviceTokenFunction?: string;
}

export interface StackEnvironment {
  readonly accountId: string;
  readonly region: string;
  readonly ids: PhysicalIdStore;
  /** Export name -> value, from the stacks deployed before this one. */
  readonly exports: Map<string, unknown>;
}

export interface DeployedStack {
  readonly stackName: string;
  readonly resources: readonly DeployedResource[];
  readonly outputs: Record<string, string>;
  /** Outputs left out because they read an attribute of a service the sandbox does not emulate. */
  readonly skippedOutputs: ReadonlyArray<{ readonly key: string; readonly reason: string }>;
}

/** Marks a property removed with `Ref: AWS::NoValue`. */
const NO_VALUE = Symbol('AWS::NoValue');

export function deployTemplate(stackName: string, template: Template, env: StackEnvironment): DeployedStack {
  return new StackDeployment(stackName, template, env).run();
}

class StackDeployment {
  private readonly created = new Map<string, DeployedResource>();
  private readonly creating = new Set<string>();
  private readonly conditionValues = new Map<string, boolean>();
  private readonly partition: string;
  private readonly urlSuffix: string;

  constructor(
    private readonly stackName: string,
    private readonly template: Template,
    private readonly env: StackEnvironment,
  ) {
    ({ partition: this.partition, urlSuffix: this.urlSuffix } = partitionOf(env.region));
  }

  run(): DeployedStack {
    if (this.template.Transform !== undefined) {
      throw this.error(
        `the template uses the transform ${JSON.stringify(this.template.Transform)}, which the sandbox does not expand`,
      );
    }
    for (const [logicalId, resource] of Object.entries(this.template.Resources)) {
      if (resource.Condition !== undefined && !this.condition(resource.Condition)) continue;
      this.create(logicalId, []);
    }
    const outputs: Record<string, string> = {};
    const skippedOutputs: Array<{ key: string; reason: string }> = [];
    for (const [key, output] of Object.entries(this.template.Outputs ?? {})) {
      if (output.Condition !== undefined && !this.condition(output.Condition)) continue;
      const where = `output ${key}`;
      let value: unknown;
      try {
        value = this.resolve(output.Value, where);
      } catch (error) {
        // An output of a service the sandbox lacks is left out and listed, not a failed deploy.
        if (!(error instanceof NotEmulatedError) || output.Export) throw error;
        skippedOutputs.push({ key, reason: error.message });
        continue;
      }
      outputs[key] = this.asString(value, where);
      if (output.Export) {
        const name = this.asString(
          this.resolve(output.Export.Name, `${where} export name`),
          `${where} export name`,
        );
        if (this.env.exports.has(name))
          throw this.error(`${where}: export name ${name} is already exported by another stack`);
        this.env.exports.set(name, value);
      }
    }
    return { stackName: this.stackName, resources: [...this.created.values()], outputs, skippedOutputs };
  }

  private create(logicalId: string, path: readonly string[]): DeployedResource | undefined {
    const existing = this.created.get(logicalId);
    if (existing) return existing;
    const resource = this.template.Resources[logicalId];
    if (!resource)
      throw this.error(
        `${path.at(-1) ?? 'template'} references ${logicalId}, which is not a resource, parameter or pseudo parameter`,
      );
    if (IGNORED_TYPES.has(resource.Type)) return undefined;
    if (resource.Condition !== undefined && !this.condition(resource.Condition)) {
      throw this.error(
        `${path.at(-1)} references ${logicalId}, which is not created (condition ${resource.Condition} is false)`,
      );
    }
    if (this.creating.has(logicalId))
      throw this.error(`circular reference: ${[...path, logicalId].join(' -> ')}`);
    this.creating.add(logicalId);

    const ctx = this.namingContext(logicalId, resource.Type);
    const spec = RESOURCE_TYPES[resource.Type];
    const metadata = isRecord(resource.Metadata) ? resource.Metadata : undefined;
    let deployed: DeployedResource;
    if (spec) {
      const properties = this.resolveObject(resource.Properties ?? {}, [...path, logicalId]);
      const physicalId = spec.physicalId(ctx, properties);
      deployed = {
        stack: this.stackName,
        logicalId,
        type: resource.Type,
        physicalId,
        attributes: spec.attributes?.(ctx, physicalId, properties) ?? {},
        properties,
        supported: true,
        metadata,
        serviceTokenFunction: serviceTokenFunction(resource.Type, resource.Properties),
      };
    } else {
      const identified = IDENTIFIED_TYPES[resource.Type];
      // Only the naming properties are resolved: the rest may reference what the sandbox lacks.
      const properties = identified
        ? this.resolveObject(namingProperties(resource.Properties), [...path, logicalId])
        : {};
      const physicalId = identified ? identified.physicalId(ctx, properties) : unsupportedPhysicalId(ctx);
      deployed = {
        stack: this.stackName,
        logicalId,
        type: resource.Type,
        physicalId,
        attributes: identified?.attributes?.(ctx, physicalId, properties) ?? {},
        properties: {},
        supported: false,
        metadata,
        serviceTokenFunction: serviceTokenFunction(resource.Type, resource.Properties),
      };
    }
    this.creating.delete(logicalId);
    this.created.set(logicalId, deployed);
    return deployed;
  }

  private namingContext(logicalId: string, type: string): NamingContext {
    return {
      stack: this.stackName,
      logicalId,
      accountId: this.env.accountId,
      region: this.env.region,
      partition: this.partition,
      urlSuffix: this.urlSuffix,
      persisted: (name, generate) => this.env.ids.get(this.stackName, logicalId, type, name, generate),
    };
  }

  private resolveObject(value: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
    const resolved = this.resolve(value, path.join(' -> '), path);
    return resolved as Record<string, unknown>;
  }

  /** `where` names the place in the template for error messages; `path` tracks references for cycles. */
  private resolve(value: unknown, where: string, path: readonly string[] = [where]): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.resolve(item, where, path)).filter((item) => item !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [name, argument] = entries[0]!;
      if (name === 'Ref') return this.ref(this.asString(argument, `${where} Ref`), where, path);
      if (name.startsWith('Fn::')) return this.intrinsic(name, argument, where, path);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const resolved = this.resolve(item, where, path);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  private intrinsic(name: string, argument: unknown, where: string, path: readonly string[]): unknown {
    const at = `${where} ${name}`;
    const resolve = (value: unknown) => this.resolve(value, where, path);
    switch (name) {
      case 'Fn::GetAtt': {
        const [logicalId, attribute] =
          typeof argument === 'string'
            ? splitOnce(argument, '.')
            : this.tuple(resolve(argument), 2, at).map((v) => this.asString(v, at));
        return this.getAtt(logicalId!, attribute!, where, path);
      }
      case 'Fn::Join': {
        const [delimiter, list] = this.tuple(argument, 2, at);
        const items = this.asList(resolve(list), at);
        return items.map((item) => this.asString(item, at)).join(this.asString(delimiter, at));
      }
      case 'Fn::Sub':
        return this.sub(argument, where, path);
      case 'Fn::Select': {
        const [index, list] = this.tuple(argument, 2, at);
        const items = this.asList(resolve(list), at);
        const i = Number(resolve(index));
        if (!Number.isInteger(i) || i < 0 || i >= items.length)
          throw this.error(`${at}: index ${String(index)} is outside the list of ${items.length}`);
        return items[i];
      }
      case 'Fn::Split': {
        const [delimiter, source] = this.tuple(argument, 2, at);
        return this.asString(resolve(source), at).split(this.asString(delimiter, at));
      }
      case 'Fn::ImportValue': {
        const exportName = this.asString(resolve(argument), at);
        if (!this.env.exports.has(exportName)) {
          throw this.error(`${at}: no stack deployed before ${this.stackName} exports ${exportName}`);
        }
        return this.env.exports.get(exportName);
      }
      case 'Fn::If': {
        const [condition, ifTrue, ifFalse] = this.tuple(argument, 3, at);
        return resolve(this.condition(this.asString(condition, at)) ? ifTrue : ifFalse);
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = this.tuple(argument, 3, at).map((v) => this.asString(resolve(v), at));
        const found = this.template.Mappings?.[map!]?.[top!]?.[second!];
        if (found === undefined) throw this.error(`${at}: mapping ${map}/${top}/${second} does not exist`);
        return found;
      }
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((zone) => `${this.env.region}${zone}`);
      case 'Fn::Base64':
        return Buffer.from(this.asString(resolve(argument), at), 'utf8').toString('base64');
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
        return this.conditionExpression({ [name]: argument }, where);
      default:
        throw this.error(`${at}: intrinsic function ${name} is not supported by the sandbox`);
    }
  }

  private ref(name: string, where: string, path: readonly string[]): unknown {
    switch (name) {
      case 'AWS::AccountId':
        return this.env.accountId;
      case 'AWS::Region':
        return this.env.region;
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::URLSuffix':
        return this.urlSuffix;
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId': {
        const uuid = this.env.ids.get(
          this.stackName,
          'AWS::StackId',
          'AWS::CloudFormation::Stack',
          'id',
          idFormats.uuid,
        );
        return `arn:${this.partition}:cloudformation:${this.env.region}:${this.env.accountId}:stack/${this.stackName}/${uuid}`;
      }
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter) return this.parameter(name, parameter, where);
    const resource = this.create(name, path);
    if (!resource)
      throw this.error(
        `${where}: Ref ${name} points at an ${this.template.Resources[name]?.Type} resource, which has no value`,
      );
    return resource.physicalId;
  }

  private parameter(name: string, parameter: { Type: string; Default?: unknown }, where: string): unknown {
    // The sandbox deploys with every parameter at its default, as `cdk deploy` does without --parameters.
    if (parameter.Type.startsWith('AWS::SSM::Parameter')) {
      throw this.error(
        `${where}: parameter ${name} reads SSM Parameter Store, which the sandbox does not emulate`,
      );
    }
    if (parameter.Default === undefined) throw this.error(`${where}: parameter ${name} has no default value`);
    if (parameter.Type === 'CommaDelimitedList' || parameter.Type.startsWith('List<')) {
      return String(parameter.Default).split(',');
    }
    return parameter.Default;
  }

  private getAtt(logicalId: string, attribute: string, where: string, path: readonly string[]): string {
    const resource = this.create(logicalId, path);
    if (!resource)
      throw this.error(`${where}: Fn::GetAtt ${logicalId}.${attribute} on a resource with no attributes`);
    const value = resource.attributes[attribute];
    if (!resource.supported && value === undefined) {
      throw new NotEmulatedError(
        `${this.stackName}: ${where}: Fn::GetAtt ${logicalId}.${attribute} needs ${resource.type}, which the sandbox does not emulate`,
      );
    }
    if (value === undefined)
      throw this.error(`${where}: ${resource.type} has no attribute ${attribute} in the sandbox`);
    return value;
  }

  /** `Fn::Sub`: "${Name}", "${Resource.Attr}", "${!Literal}" -> "${Literal}", optionally with a variable map. */
  private sub(argument: unknown, where: string, path: readonly string[]): string {
    const at = `${where} Fn::Sub`;
    const [template, variables] =
      typeof argument === 'string'
        ? [argument, {}]
        : (this.tuple(argument, 2, at) as [unknown, Record<string, unknown>]);
    const text = this.asString(template, at);
    const values = new Map(Object.entries(variables ?? {}));
    return text.replace(/\$\{([^}]*)\}/g, (_match, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (values.has(name)) return this.asString(this.resolve(values.get(name), where, path), at);
      const dot = name.indexOf('.');
      if (dot !== -1 && !name.startsWith('AWS::')) {
        return this.getAtt(name.slice(0, dot), name.slice(dot + 1), where, path);
      }
      return this.asString(this.ref(name, where, path), at);
    });
  }

  private condition(name: string): boolean {
    const cached = this.conditionValues.get(name);
    if (cached !== undefined) return cached;
    const expression = this.template.Conditions?.[name];
    if (expression === undefined) throw this.error(`condition ${name} is not defined`);
    const value = this.conditionExpression(expression, `condition ${name}`);
    this.conditionValues.set(name, value);
    return value;
  }

  private conditionExpression(expression: unknown, where: string): boolean {
    if (typeof expression === 'boolean') return expression;
    const entries = expression !== null && typeof expression === 'object' ? Object.entries(expression) : [];
    const [name, argument] = entries.length === 1 ? entries[0]! : [undefined, undefined];
    switch (name) {
      case 'Fn::Equals': {
        const [a, b] = this.tuple(argument, 2, `${where} Fn::Equals`).map((v) => this.resolve(v, where));
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::And':
        return this.asList(argument, where).every((item) => this.conditionExpression(item, where));
      case 'Fn::Or':
        return this.asList(argument, where).some((item) => this.conditionExpression(item, where));
      case 'Fn::Not':
        return !this.conditionExpression(this.tuple(argument, 1, where)[0], where);
      case 'Condition':
        return this.condition(this.asString(argument, where));
      default:
        throw this.error(`${where}: ${JSON.stringify(expression)} is not a condition`);
    }
  }

  private tuple(value: unknown, length: number, where: string): unknown[] {
    if (!Array.isArray(value) || value.length !== length)
      throw this.error(`${where}: expected a list of ${length}, got ${JSON.stringify(value)}`);
    return value;
  }

  private asList(value: unknown, where: string): unknown[] {
    if (!Array.isArray(value)) throw this.error(`${where}: expected a list, got ${JSON.stringify(value)}`);
    return value;
  }

  private asString(value: unknown, where: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw this.error(`${where}: expected a string, got ${JSON.stringify(value)}`);
  }

  private error(message: string): DeployError {
    return new DeployError(`${this.stackName}: ${message}`);
  }
}

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return index === -1 ? [text, ''] : [text.slice(0, index), text.slice(index + 1)];
}

/** The properties an identified type's name comes from (see IDENTIFIED_TYPES). */
function namingProperties(properties: Record<string, unknown> | undefined): Record<string, unknown> {
  const names = ['LogGroupName', 'QueueName', 'Name'];
  return Object.fromEntries(Object.entries(properties ?? {}).filter(([key]) => names.includes(key)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `ServiceToken: { "Fn::GetAtt": ["<id>", "Arn"] }` (or "<id>.Arn") of a custom resource, unresolved. */
function serviceTokenFunction(
  type: string,
  properties: Record<string, unknown> | undefined,
): string | undefined {
  if (!type.startsWith('Custom::') && type !== 'AWS::CloudFormation::CustomResource') return undefined;
  const token = properties?.ServiceToken;
  if (!isRecord(token)) return undefined;
  const getAtt = token['Fn::GetAtt'];
  const [logicalId, attribute] =
    typeof getAtt === 'string' ? getAtt.split('.') : Array.isArray(getAtt) ? getAtt : [];
  return typeof logicalId === 'string' && attribute === 'Arn' ? logicalId : undefined;
}
