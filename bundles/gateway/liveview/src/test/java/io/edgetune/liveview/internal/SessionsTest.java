package io.edgetune.liveview.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class SessionsTest {

    @Test
    public void onlyTheRightUserAndPasswordGetASessionUntilLogout() {
        Sessions s = new Sessions("operator", "s3cret");
        assertNull(s.login("operator", "wrong"));
        assertNull(s.login("admin", "s3cret"));
        assertNull(s.login(null, "s3cret"));
        String a = s.login("operator", "s3cret");
        String b = s.login("operator", "s3cret");
        assertNotNull(a);
        assertNotEquals(a, b);
        assertTrue(s.valid(a));
        assertFalse(s.valid("forged"));
        assertFalse(s.valid(null));
        s.logout(a);
        assertFalse(s.valid(a));
        assertTrue(s.valid(b));
    }

    @Test
    public void sessionsAreBoundedTheOldestGoesFirst() {
        Sessions s = new Sessions("u", "p");
        String first = s.login("u", "p");
        for (int i = 0; i < 100; i++) {
            assertNotNull(s.login("u", "p"));
        }
        assertFalse(s.valid(first));
    }
}
