package io.edgetune.inference.internal;

import java.net.URL;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The base model shipped as a bundle ({@code io.edgetune.model.base}, in the Kura
 * deployment package and the runtimes): a bundle whose manifest header
 * {@value #HEADER} names the entry folder holding the model and its labels. The
 * entries are read with {@link Bundle#getEntry}, which needs no class loader, so
 * the bundle works in any state once installed.
 */
final class BaseModelBundle {

    static final String HEADER = "EdgeTune-Base-Model";

    /** Where the base model comes from: its two files and a name for the log. */
    record Source(URL model, URL labels, String origin) {
    }

    private BaseModelBundle() {
    }

    /** The first installed bundle that carries the base model, if any. */
    static Optional<Source> find(BundleContext context) {
        if (context == null) {
            return Optional.empty();
        }
        for (Bundle b : context.getBundles()) {
            Optional<Source> s = of(b);
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    /** The base model in this bundle, if its header names a folder with both files. */
    static Optional<Source> of(Bundle b) {
        String folder = b.getHeaders("").get(HEADER);
        if (folder == null || folder.isBlank()) {
            return Optional.empty();
        }
        String dir = folder.trim().replaceAll("^/+|/+$", "");
        URL model = b.getEntry(dir + "/" + FileModelRegistry.BASE_MODEL_FILE);
        URL labels = b.getEntry(dir + "/" + FileModelRegistry.BASE_LABELS_FILE);
        if (model == null || labels == null) {
            return Optional.empty();
        }
        return Optional.of(new Source(model, labels, "bundle " + b.getSymbolicName() + " " + b.getVersion()));
    }
}
