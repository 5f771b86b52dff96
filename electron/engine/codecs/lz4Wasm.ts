import { createRequire } from 'node:module';
import { decompressLz4Block, type Lz4BlockOptions } from './lz4.js';

/**
 * LZ4 block decoding in WebAssembly: lz4_flex (the Rust LZ4 of lz4-wasm-nodejs, by lz4_flex's
 * author) run directly in the module's own memory. The block is copied in, decoded there, and
 * the caller gets a view of the output in that memory, so decoding leaves no buffer behind for the
 * garbage collector, however large the blocks (a native binding's fresh output buffers, kept
 * outside V8's accounting, let a process reading Samsung's 4 MiB blocks grow to 1.5 GB). The
 * memory grows to the largest block decoded and stays there.
 *
 * The module is used through its exports (`decompress`, `__wbindgen_malloc`, `__wbindgen_free`,
 * `__wbindgen_add_to_stack_pointer`, `memory`) in the calling convention of the pinned version
 * (package.json pins it; test/unit/lz4Wasm.test.ts checks it against the TypeScript decoder).
 * The TypeScript decoder (codecs/lz4.ts) stays the reference and the fallback: for partial decodes
 * (EROFS without 0padding, a shared pcluster), linked blocks (a dictionary), and any block the
 * WebAssembly decoder refuses or decodes to another size, which the TypeScript decoder then
 * decodes or refuses with the offset of the problem.
 */

interface Lz4WasmExports {
  memory: { readonly buffer: ArrayBuffer };
  decompress(retptr: number, inputPtr: number, inputLength: number): void;
  __wbindgen_malloc(size: number): number;
  __wbindgen_free(ptr: number, size: number): void;
  __wbindgen_add_to_stack_pointer(delta: number): number;
}

/** The decoder's state in this thread: loaded, not loaded yet, or unusable (then TypeScript decodes). */
let exports: Lz4WasmExports | null | undefined;

function wasm(): Lz4WasmExports | null {
  if (exports === undefined) {
    try {
      const module = createRequire(import.meta.url)('lz4-wasm-nodejs') as { __wasm?: Lz4WasmExports };
      exports = module.__wasm ?? null;
    } catch {
      exports = null;
    }
  }
  return exports;
}

/**
 * Decodes `input` into exactly `outputSize` bytes in WebAssembly memory and calls `use` with a view
 * of them (valid only during the call: `use` must not decode again). Returns null, without calling
 * `use`, when the WebAssembly decoder is unavailable, refuses the block or decodes it to another
 * size; the caller then decodes it in TypeScript.
 */
function decodeInWasm<T>(input: Uint8Array, outputSize: number, use: (output: Uint8Array) => T): { value: T } | null {
  const module = wasm();
  if (module === null || outputSize > 0xffff_ffff) return null;
  const retptr = module.__wbindgen_add_to_stack_pointer(-16);
  try {
    // lz4_flex's block format here is "size prepended": a little-endian u32 of the decoded size first.
    const inputPtr = module.__wbindgen_malloc(input.length + 4);
    const memory = new Uint8Array(module.memory.buffer);
    new DataView(module.memory.buffer).setUint32(inputPtr, outputSize, true);
    memory.set(input, inputPtr + 4);
    // The decoder takes ownership of (and frees) its input.
    module.decompress(retptr, inputPtr, input.length + 4);
    const words = new Int32Array(module.memory.buffer, retptr, 4);
    const [outputPtr = 0, outputLength = 0, , failed = 1] = words;
    // A refused block leaves an error string in the glue's object table: only corrupt input gets here.
    if (failed !== 0) return null;
    try {
      if (outputLength !== outputSize) return null;
      return { value: use(new Uint8Array(module.memory.buffer, outputPtr, outputLength)) };
    } finally {
      module.__wbindgen_free(outputPtr, outputLength);
    }
  } catch (error) {
    // A trap may have left the module's allocator in any state: decode in TypeScript from now on.
    if (error instanceof Error && error.name === 'RuntimeError') {
      exports = null;
      return null;
    }
    throw error;
  } finally {
    if (exports !== null) module.__wbindgen_add_to_stack_pointer(16);
  }
}

/**
 * Decodes one LZ4 block and calls `use` with the decoded bytes, which are valid only during the
 * call (they may live in WebAssembly memory that the next decode reuses) unless `owned` says they
 * are a fresh buffer the caller may keep. Same contract as
 * decompressLz4Block: throws Lz4FormatError when the block is malformed. A block expected to
 * decode to exactly `outputSize` bytes goes to WebAssembly; the rest, and whatever WebAssembly
 * does not decode to that size, to the TypeScript decoder, whose output (maybe shorter) `use` gets.
 */
export function withLz4Block<T>(input: Uint8Array, outputSize: number, options: Lz4BlockOptions, use: (output: Uint8Array, owned: boolean) => T): T {
  if (options.stopAtOutputSize !== true && options.dictionary === undefined) {
    const decoded = decodeInWasm(input, outputSize, (output) => use(output, false));
    if (decoded !== null) return decoded.value;
  }
  return use(decompressLz4Block(input, outputSize, options), true);
}

/** Whether the WebAssembly decoder is loaded in this thread (for tests and the bench). */
export function lz4WasmAvailable(): boolean {
  return wasm() !== null;
}
