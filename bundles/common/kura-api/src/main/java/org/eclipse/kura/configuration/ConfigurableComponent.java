package org.eclipse.kura.configuration;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Marker service interface: a component that offers it, and has a MetaType
 * description, is listed and configured in Kura's web console.
 */
@ConsumerType
public interface ConfigurableComponent {
}
