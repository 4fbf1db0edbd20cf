package org.eclipse.kura.cloudconnection.request;

import org.eclipse.kura.KuraException;
import org.osgi.annotation.versioning.ProviderType;

/** Offered by a cloud connection: routes requests addressed to an application id to its handler. */
@ProviderType
public interface RequestHandlerRegistry {

    void registerRequestHandler(String id, RequestHandler requestHandler) throws KuraException;

    void unregister(String id) throws KuraException;
}
