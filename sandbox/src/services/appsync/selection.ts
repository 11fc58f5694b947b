/** What an operation selects: the fields IAM must allow, and a field's selectionSetList. */
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}

/**
 * Every `<Type>.<field>` the operation requests, fragments expanded. Introspection fields and
 * `__typename` need no grant (AppSync answers them to any caller it authenticated). Each fragment
 * is walked once per type, so spreading a fragment many times costs no more than once.
 */
export function requestedFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): Set<string> {
  const fragments = fragmentsOf(document);
  const fields = new Set<string>();
  const walked = new Set<string>();
  const walk = (type: GraphQLNamedType | undefined | null, selectionSet: SelectionSetNode): void => {
    if (!type) return;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
        const field = type.getFields()[name];
        if (!field) continue;
        fields.add(`${type.name}.${name}`);
        if (selection.selectionSet) walk(getNamedType(field.type), selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        walk(inner, selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        const key = `${type.name}/${selection.name.value}`;
        if (!fragment || walked.has(key)) continue;
        walked.add(key);
        walk(schema.getType(fragment.typeCondition.name.value), fragment.selectionSet);
      }
    }
  };
  walk(schema.getRootType(operation.operation), operation.selectionSet);
  return fields;
}

/**
 * AppSync's `info.selectionSetList`: the paths of the fields under one field (`items`,
 * `items/imageId`, ...), fragments expanded, `__typename` left out.
 */
export function selectionSetList(
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  selectionSet: SelectionSetNode | undefined,
): string[] {
  const paths = new Set<string>();
  const walk = (set: SelectionSetNode, prefix: string): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        const path = `${prefix}${selection.alias?.value ?? name}`;
        paths.add(path);
        if (selection.selectionSet) walk(selection.selectionSet, `${path}/`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, prefix);
      } else {
        const fragment = fragments[selection.name.value];
        if (fragment) walk(fragment.selectionSet, prefix);
      }
    }
  };
  if (selectionSet) walk(selectionSet, '');
  return [...paths];
}
