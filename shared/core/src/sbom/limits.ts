/**
 * Bounds on what SBOM intake accepts. Every check runs before or while the
 * input is parsed, so a hostile file is refused before it costs memory or stack.
 */
export interface SbomLimits {
  /** Size of the raw input in bytes. */
  maxBytes: number;
  /** Components counted at every nesting level. */
  maxComponents: number;
  /**
   * Nesting of the document itself: JSON objects/arrays, XML elements. The
   * deepest file in the CycloneDX spec suite nests 12 levels; 64 leaves room
   * for ~30 levels of nested components while keeping recursion trivially safe.
   */
  maxDepth: number;
}

export const defaultSbomLimits: Readonly<SbomLimits> = Object.freeze({
  maxBytes: 50 * 1024 * 1024,
  maxComponents: 200_000,
  maxDepth: 64,
});

export const resolveSbomLimits = (limits?: Partial<SbomLimits>): SbomLimits => ({
  ...defaultSbomLimits,
  ...(limits ?? {}),
});
