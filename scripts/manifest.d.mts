export declare const PACKAGE_JSON: string;
export interface GeneratedManifest {
  contributes: Record<string, unknown>;
  activationEvents: string[];
  restrictedConfigurations: string[];
}
export declare function generatedManifest(): Promise<GeneratedManifest>;
export declare function withGenerated(
  pkg: Record<string, unknown>,
  gen: GeneratedManifest,
): Record<string, unknown>;
export declare function expectedPackageJson(text?: string): Promise<string>;
export declare function writeManifest(): Promise<boolean>;
export declare function staleParts(text?: string): Promise<string[]>;
