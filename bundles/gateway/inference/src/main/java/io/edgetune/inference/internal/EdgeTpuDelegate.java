package io.edgetune.inference.internal;

import io.edgetune.inference.engine.EngineException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.Init_Pointer_TfLiteOpaqueContext_BytePointer_long;
import org.bytedeco.tensorflowlite.TfLiteDelegate;

/**
 * The Coral Edge TPU delegate, created from libedgetpu at run time.
 *
 * <p>libedgetpu.so.1 exports the TFLite external-delegate entry points
 * {@code tflite_plugin_create_delegate(char** keys, char** values, size_t n, void (*error)(const char*))}
 * and {@code tflite_plugin_destroy_delegate(TfLiteDelegate*)}. The library is
 * dlopen'ed with RTLD_GLOBAL and the symbols looked up by name; nothing is
 * linked at build time, so gateways without a Coral simply fall back to CPU.
 *
 * <p>JavaCPP can only call a function pointer through a generated binding.
 * The TFLite presets have one that takes four pointer-sized integer arguments
 * and returns a pointer (a delegate kernel's init callback); on x86-64 and
 * AArch64 every such argument travels in an integer register, so that binding
 * calls the plugin functions with the same ABI: (NULL keys, NULL values, 0
 * options, NULL error handler).
 */
final class EdgeTpuDelegate implements AutoCloseable {

    private final Pointer destroy;
    private TfLiteDelegate delegate;

    private EdgeTpuDelegate(TfLiteDelegate delegate, Pointer destroy) {
        this.delegate = delegate;
        this.destroy = destroy;
    }

    /** Creates the delegate, or throws with the reason (used verbatim as the fallback note). */
    static EdgeTpuDelegate create(String library) throws EngineException {
        try {
            Loader.loadGlobal(library);
        } catch (Throwable e) {
            throw new EngineException("Edge TPU library " + library + " not loadable (" + e.getMessage() + ")");
        }
        Pointer create = Loader.addressof("tflite_plugin_create_delegate");
        Pointer destroy = Loader.addressof("tflite_plugin_destroy_delegate");
        if (create == null || create.isNull()) {
            throw new EngineException(library + " has no tflite_plugin_create_delegate symbol");
        }
        Pointer result = new Init_Pointer_TfLiteOpaqueContext_BytePointer_long(create).call(null, null, null, 0L);
        if (result == null || result.isNull()) {
            throw new EngineException("no Edge TPU device found (libedgetpu returned no delegate)");
        }
        return new EdgeTpuDelegate(new TfLiteDelegate(result), destroy);
    }

    TfLiteDelegate delegate() {
        return delegate;
    }

    @Override
    public void close() {
        if (delegate != null && destroy != null && !destroy.isNull()) {
            new Init_Pointer_TfLiteOpaqueContext_BytePointer_long(destroy).call(delegate, null, null, 0L);
        }
        delegate = null;
    }
}
