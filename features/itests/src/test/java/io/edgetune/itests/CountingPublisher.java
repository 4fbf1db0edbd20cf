package io.edgetune.itests;

import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.kura.cloudconnection.listener.CloudConnectionListener;
import org.eclipse.kura.cloudconnection.listener.CloudDeliveryListener;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.publisher.CloudPublisher;

/** A cloud publisher that counts the messages it is given. */
final class CountingPublisher implements CloudPublisher {

    private final AtomicLong count;

    CountingPublisher(AtomicLong count) {
        this.count = count;
    }

    @Override
    public String publish(KuraMessage message) {
        return Long.toString(count.incrementAndGet());
    }

    @Override
    public void registerCloudConnectionListener(CloudConnectionListener listener) {
    }

    @Override
    public void unregisterCloudConnectionListener(CloudConnectionListener listener) {
    }

    @Override
    public void registerCloudDeliveryListener(CloudDeliveryListener listener) {
    }

    @Override
    public void unregisterCloudDeliveryListener(CloudDeliveryListener listener) {
    }
}
