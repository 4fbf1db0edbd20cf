package io.edgetune.itests;

import org.junit.After;

/** A test of the shipped runtime as a process: whatever {@link #demo} a test started is stopped after it. */
public abstract class DemoProcessTest {

    protected DemoProcess demo;

    @After
    public void stopDemo() throws Exception {
        if (demo != null) {
            demo.close();
        }
    }
}
