package org.dragonflymle.testutils;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker ({@link KafkaBroker}) for the tests of one class: started before all of them,
 * stopped and deleted after all. A test may stop or kill the {@link #broker()} to simulate an
 * outage; the next test gets it running again. Tests share the broker, so each uses its own topics
 * and groups.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * }</pre>
 */
public final class KafkaBrokerExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private KafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = KafkaBroker.create().start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        broker.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public KafkaBroker broker() {
        return broker;
    }
}
