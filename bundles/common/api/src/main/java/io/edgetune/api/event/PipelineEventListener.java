package io.edgetune.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard service for pipeline events; must not block. */
@ConsumerType
public interface PipelineEventListener {

    void onEvent(PipelineEvent event);
}
