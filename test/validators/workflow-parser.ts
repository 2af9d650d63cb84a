import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';

/**
 * Parse a workflow with GitHub's own parser (@actions/workflow-parser: the schema and
 * expression rules the Actions service applies) and return every error message
 * (empty = valid). Async because the conversion step is. Pass the rendered files to check calls
 * of local reusable workflows against what they declare. The package is ESM that
 * imports JSON without an import attribute: it loads under vitest.
 */
export async function parseWithGitHub(text: string, name: string, files?: Record<string, string>): Promise<string[]> {
  const result = parseWorkflow({ name, content: text }, new NoOperationTraceWriter());
  if (result.value === undefined) {
    const errors = result.context.errors.getErrors().map((e) => e.message);
    return errors.length ? errors : [`${name}: the parser returned no workflow`];
  }
  // Conversion applies the semantic checks (needs, job ids, concurrency, events…);
  // it adds to the same context and also returns its own error list.
  // With the repository's other files, calls of local reusable workflows (`uses: ./.github/
  // workflows/x.yml`) are loaded and checked as GitHub does: inputs declared, required ones
  // given, types, secrets, outputs.
  const provider = files && {
    getFileContent: async (ref: { path: string }) => {
      const content = files[ref.path.replace(/^\.\//, '')];
      if (content === undefined) throw new Error(`${name} calls ${ref.path}, which is not in the rendered files`);
      return { name: ref.path, content };
    },
  };
  const template = await convertWorkflowTemplate(result.context, result.value, provider, provider ? { fetchReusableWorkflowDepth: 1 } : undefined);
  const messages = [
    ...result.context.errors.getErrors().map((e) => e.message),
    ...(template.errors ?? []).map((e) => e.Message),
  ];
  return [...new Set(messages)];
}
