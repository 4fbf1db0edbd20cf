package io.edgetune.inference;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The project's int8 build of the real model. */
public final class Int8Models {

    private Int8Models() {
    }

    public static Path baseInt8() {
        return Paths.get("/work/wt/shared/base_int8.tflite");
    }
}
