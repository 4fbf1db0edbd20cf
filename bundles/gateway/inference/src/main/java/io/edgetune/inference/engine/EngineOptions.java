package io.edgetune.inference.engine;

/**
 * How to build an engine.
 *
 * @param threads      CPU threads for the interpreter
 * @param useEdgeTpu   try the Coral delegate when the model is compiled for it
 * @param edgeTpuLibrary file name or path of libedgetpu (dlopen'ed)
 */
public record EngineOptions(int threads, boolean useEdgeTpu, String edgeTpuLibrary) {

    public static final String DEFAULT_EDGETPU_LIBRARY = "libedgetpu.so.1";

    public static EngineOptions cpu(int threads) {
        return new EngineOptions(threads, false, DEFAULT_EDGETPU_LIBRARY);
    }
}
