package io.edgetune.testsupport;

import java.util.List;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * A test run once per broker (Moquette, mosquitto) and request dispatcher (the
 * standalone cloud connection's, one that behaves like Kura's). Subclasses
 * take (brokerKind, dispatcher) in their constructor and stop the broker.
 */
@RunWith(Parameterized.class)
public abstract class BrokerAndDispatcherTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    protected final String brokerKind;
    /** The Kura-like dispatcher rather than the standalone connection's. */
    protected final boolean kuraLike;
    protected TestBroker broker;

    protected BrokerAndDispatcherTest(String brokerKind, String dispatcher) {
        this.brokerKind = brokerKind;
        this.kuraLike = dispatcher.equals("kura-like");
    }

    @Parameters(name = "{0} {1}")
    public static List<Object[]> brokers() {
        return TestBroker.brokersAndDispatchers();
    }

    /** Starts this run's broker, its data in a new folder. */
    protected void startBroker() throws Exception {
        broker = TestBroker.started(brokerKind, tmp.newFolder("broker").toPath());
    }
}
