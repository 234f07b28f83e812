// Types of bin/fresh.mjs (plain JavaScript so that bin/lowbit.mjs runs without a build) for the tests.
export declare const SOURCE_DIRS: string[];
export declare const ROOT: string;
export declare const STAMP: string;
export declare function isCheckout(root?: string): boolean;
export declare function staleReason(root?: string): string | undefined;
