package org.eclipse.kura.wire;

import org.osgi.annotation.versioning.ProviderType;

/** Marker for every component of a Kura wire graph. */
@ProviderType
public interface WireComponent {
}
