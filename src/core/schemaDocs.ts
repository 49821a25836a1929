// Reading the config schema for documentation: hover text, completion candidates, enum descriptions.
import schemaJson from '../../schemas/qeff-disagg.schema.json';

export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  markdownDescription?: string;
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  definitions?: Record<string, SchemaNode>;
  defaultSnippets?: { label: string; description?: string; markdownDescription?: string; body: unknown }[];
  title?: string;
  required?: string[];
}

export const SCHEMA = schemaJson as unknown as SchemaNode;

/** Resolves a local `#/definitions/x` reference; the referencing node's own keywords win (as in VS Code). */
export function resolveSchema(node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node?.$ref) return node;
  const name = node.$ref.replace('#/definitions/', '');
  const target = SCHEMA.definitions?.[name];
  const { $ref: _ref, ...own } = node;
  return { ...target, ...own };
}

/** The schema of the value at `path` (property names only), or undefined outside the schema. */
export function schemaAt(path: (string | number)[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = SCHEMA;
  for (const seg of path) {
    node = resolveSchema(node);
    if (!node) return undefined;
    const sub: SchemaNode | undefined = typeof seg === 'string' ? node.properties?.[seg] : undefined;
    if (sub) { node = sub; continue; }
    node = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
  }
  return resolveSchema(node);
}

export function docOf(node: SchemaNode | undefined): string | undefined {
  return node?.markdownDescription ?? node?.description;
}

export function enumDocOf(node: SchemaNode | undefined, value: unknown): string | undefined {
  const i = node?.enum?.indexOf(value) ?? -1;
  if (i < 0) return undefined;
  return node?.markdownEnumDescriptions?.[i] ?? node?.enumDescriptions?.[i];
}
