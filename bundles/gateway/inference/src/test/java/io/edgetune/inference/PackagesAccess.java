package io.edgetune.inference;

import java.nio.file.Path;

/** Lets tests in other packages build a model package. */
public final class PackagesAccess {

    private PackagesAccess() {
    }

    public static void write(Path dir, String version) throws Exception {
        Packages.directory(dir, version, Packages.realModel(), null, null);
    }
}
