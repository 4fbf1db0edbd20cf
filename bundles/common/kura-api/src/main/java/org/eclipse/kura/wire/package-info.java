/**
 * Kura Wires API subset: the contracts of wire components (emitters and
 * receivers), the records they exchange and the helper that connects them.
 * Kura's wire runtime implements {@link org.eclipse.kura.wire.WireHelperService}
 * and {@link org.eclipse.kura.wire.WireSupport}; components implement
 * {@link org.eclipse.kura.wire.WireEmitter} and/or
 * {@link org.eclipse.kura.wire.WireReceiver}.
 */
@org.osgi.annotation.versioning.Version("2.0.0")
@org.osgi.annotation.bundle.Export
package org.eclipse.kura.wire;
