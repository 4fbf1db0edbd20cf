package io.edgetune.api.data;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import org.junit.Test;

public class DataDirectoriesTest {

    /** System properties given as key, value, key, value... */
    private static Map<String, String> props(String... keyValues) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private static Path root(String... keyValues) {
        return DataDirectories.root(props(keyValues)::get);
    }

    private static Path resolve(String dir, String... keyValues) {
        return DataDirectories.resolve(props(keyValues)::get, dir);
    }

    @Test
    public void anExplicitEdgetuneDataWinsEvenOnKura() {
        assertEquals(Paths.get("/srv/edgetune"), root("edgetune.data", "/srv/edgetune", "kura.data", "/opt/eclipse/kura/data"));
    }

    @Test
    public void onKuraTheDataLivesInKurasDataFolder() {
        assertEquals(Paths.get("/opt/eclipse/kura/data/edgetune/models"),
                resolve(DataDirectories.MODELS, "kura.data", "/opt/eclipse/kura/data", "user.home", "/nonexistent"));
    }

    @Test
    public void onAStockKuraOnlyKuraHomeIsSetAndTheDataFolderIsUnderIt() {
        // Kura's start script passes -Dkura.home; kura.data lives in kura.properties, not in the properties
        assertEquals(Paths.get("/opt/eclipse/kura/data/edgetune/uploads"),
                resolve(DataDirectories.UPLOADS, "kura.home", "/opt/eclipse/kura", "user.home", "/nonexistent"));
    }

    @Test
    public void kuraDataWinsOverKuraHome() {
        assertEquals(Paths.get("/var/kura-data/edgetune"), root("kura.home", "/opt/eclipse/kura", "kura.data", "/var/kura-data"));
    }

    @Test
    public void withNeitherPropertyItIsRelativeToTheWorkingDirectoryNotTheHome() {
        assertEquals(Paths.get("edgetune-data", "javacpp-cache"),
                resolve(DataDirectories.NATIVE_CACHE, "user.home", "/home/someone", "edgetune.data", "  "));
    }
}
