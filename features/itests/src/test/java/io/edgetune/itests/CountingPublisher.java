package io.edgetune.itests;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.kura.cloudconnection.publisher.CloudPublisher;

/** A cloud publisher that counts the messages it is given; listeners are accepted and never called. */
final class CountingPublisher {

    private CountingPublisher() {
    }

    static CloudPublisher counting(AtomicLong count) {
        return (CloudPublisher) Proxy.newProxyInstance(CloudPublisher.class.getClassLoader(), new Class<?>[] {CloudPublisher.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "publish" -> Long.toString(count.incrementAndGet());
                    case "toString" -> "counting publisher (" + count.get() + " published)";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null; // (un)register*Listener
                });
    }
}
