package io.edgetune.inference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.inference.internal.FairQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

public class FairQueueTest {

    @Test
    public void busyCameraCannotStarveQuietOneAndDropsItsOldest() throws Exception {
        List<String> dropped = new ArrayList<>();
        FairQueue<String> q = new FairQueue<>(2, dropped::add);
        for (int i = 0; i < 10; i++) {
            q.offer("busy", "b" + i);
        }
        assertTrue(q.offer("quiet", "q0"));
        assertEquals(List.of("b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7"), dropped);
        assertEquals(8, q.dropped());
        assertEquals(3, q.size());
        List<String> order = new ArrayList<>();
        String s;
        while ((s = q.poll(0, TimeUnit.MILLISECONDS)) != null) {
            order.add(s);
        }
        // round robin: busy, quiet, busy
        assertEquals(List.of("b8", "q0", "b9"), order);
        assertNull(q.poll(10, TimeUnit.MILLISECONDS));
    }

    @Test
    public void shrinkingTheDepthDropsExcess() {
        List<String> dropped = new ArrayList<>();
        FairQueue<String> q = new FairQueue<>(3, dropped::add);
        q.offer("a", "1");
        q.offer("a", "2");
        assertTrue(q.offer("a", "3"));
        assertFalse(q.offer("a", "4"));
        q.setDepth(1);
        assertEquals(List.of("1", "2", "3"), dropped);
        assertEquals(1, q.size());
    }
}
