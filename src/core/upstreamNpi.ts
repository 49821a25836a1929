// Where the gpt-oss-120b node-precision-info files live: upstream ships them in its repository, not in the
// wheel, as examples/disagg_serving/subfunction_120b_npi.yaml and non_subfunction_120b_npi.yaml
// (quic/efficient-transformers, unchanged from v1.21.0 to main). qeff-disagg ships no copy: the picker and
// the examples point into the user's QEfficient checkout.
import { dirname, resolvePath } from './paths';
import type { FileHost } from './types';

export const UPSTREAM_NPI_DIR = 'examples/disagg_serving';
export const UPSTREAM_NPI_FILES = {
  subfunction: 'subfunction_120b_npi.yaml',
  non_subfunction: 'non_subfunction_120b_npi.yaml',
} as const;

export interface NpiCandidate {
  path: string;
  kind: keyof typeof UPSTREAM_NPI_FILES;
  /** The file matches the stage's use_onnx_subfunctions. */
  fits: boolean;
}

/** The repository root of an editable QEfficient install, from the path of QEfficient/__init__.py. */
export function checkoutRoot(qefficientInit: string): string {
  return dirname(dirname(qefficientInit));
}

/** The upstream NPI files present in the checkout QEfficient was imported from, the one that fits first. */
export function upstreamNpiCandidates(qefficientInit: string, subfunctions: boolean, host: FileHost): NpiCandidate[] {
  const dir = resolvePath(checkoutRoot(qefficientInit), UPSTREAM_NPI_DIR);
  const all = (Object.keys(UPSTREAM_NPI_FILES) as (keyof typeof UPSTREAM_NPI_FILES)[]).map(kind => ({
    path: resolvePath(dir, UPSTREAM_NPI_FILES[kind]), kind, fits: (kind === 'subfunction') === subfunctions,
  }));
  return all.filter(c => host.readFile(c.path) !== undefined).sort((a, b) => Number(b.fits) - Number(a.fits));
}
