/**
 * Reads a CDK cloud assembly (`cdk.out/`): the manifest's stack artifacts and their templates,
 * ordered so that every stack comes after the stacks it depends on.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import { DeployError } from './errors';

const STACK_ARTIFACT = 'aws:cloudformation:stack';

/** The parts of cdk.out/manifest.json the sandbox reads (stacks here, asset manifests in assets.ts). */
export const manifestSchema = z.object({
  artifacts: z
    .record(
      z.string(),
      z.object({
        type: z.string(),
        dependencies: z.array(z.string()).optional(),
        displayName: z.string().optional(),
        properties: z
          .object({
            templateFile: z.string().optional(),
            stackName: z.string().optional(),
            file: z.string().optional(),
          })
          .loose()
          .optional(),
      }),
    )
    .default({}),
});

const templateSchema = z
  .object({
    Parameters: z
      .record(z.string(), z.object({ Type: z.string(), Default: z.unknown().optional() }).loose())
      .optional(),
    Mappings: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))).optional(),
    Conditions: z.record(z.string(), z.unknown()).optional(),
    Resources: z.record(
      z.string(),
      z
        .object({
          Type: z.string(),
          Properties: z.record(z.string(), z.unknown()).optional(),
          Condition: z.string().optional(),
        })
        .loose(),
    ),
    Outputs: z
      .record(
        z.string(),
        z
          .object({
            Value: z.unknown(),
            Export: z.object({ Name: z.unknown() }).optional(),
            Condition: z.string().optional(),
          })
          .loose(),
      )
      .optional(),
  })
  .loose();

export type Template = z.infer<typeof templateSchema>;

export interface StackArtifact {
  /** The CloudFormation stack name (what `cdk deploy --outputs-file` uses as the key). */
  readonly stackName: string;
  readonly artifactId: string;
  readonly template: Template;
}

export async function readCloudAssembly(cdkOutDir: string): Promise<StackArtifact[]> {
  const manifestPath = join(cdkOutDir, 'manifest.json');
  const manifest = manifestSchema.safeParse(await readJson(manifestPath));
  if (!manifest.success)
    throw new DeployError(`${manifestPath} is not a cloud assembly manifest: ${manifest.error.message}`);

  const stacks = new Map<string, { stackName: string; templateFile: string; dependencies: string[] }>();
  for (const [artifactId, artifact] of Object.entries(manifest.data.artifacts)) {
    if (artifact.type !== STACK_ARTIFACT) continue;
    const templateFile = artifact.properties?.templateFile;
    if (!templateFile)
      throw new DeployError(`Stack artifact ${artifactId} in ${manifestPath} has no templateFile.`);
    stacks.set(artifactId, {
      stackName: artifact.properties?.stackName ?? artifactId,
      templateFile,
      dependencies: artifact.dependencies ?? [],
    });
  }

  const ordered: StackArtifact[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = async (artifactId: string, path: readonly string[]): Promise<void> => {
    const stack = stacks.get(artifactId);
    // Dependencies also name asset manifests, which have nothing to deploy here.
    if (!stack || state.get(artifactId) === 'done') return;
    if (state.get(artifactId) === 'visiting') {
      throw new DeployError(`Stacks depend on each other in a cycle: ${[...path, artifactId].join(' -> ')}`);
    }
    state.set(artifactId, 'visiting');
    for (const dependency of stack.dependencies) await visit(dependency, [...path, artifactId]);
    const templatePath = join(cdkOutDir, stack.templateFile);
    const template = templateSchema.safeParse(await readJson(templatePath));
    if (!template.success)
      throw new DeployError(`${templatePath} is not a CloudFormation template: ${template.error.message}`);
    ordered.push({ stackName: stack.stackName, artifactId, template: template.data });
    state.set(artifactId, 'done');
  };
  for (const artifactId of stacks.keys()) await visit(artifactId, []);
  return ordered;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new DeployError(`Cannot read ${path}: ${(err as Error).message}. Run \`pnpm cdk synth\` first.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DeployError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}
