package io.edgetune.api.data;

import static org.junit.Assert.assertEquals;

import java.nio.file.Paths;
import java.util.Map;
import org.junit.Test;

public class DataDirectoriesTest {

    @Test
    public void anExplicitEdgetuneDataWinsEvenOnKura() {
        Map<String, String> p = Map.of("edgetune.data", "/srv/edgetune", "kura.data", "/opt/eclipse/kura/data");
        assertEquals(Paths.get("/srv/edgetune"), DataDirectories.root(p::get));
    }

    @Test
    public void onKuraTheDataLivesInKurasDataFolder() {
        Map<String, String> p = Map.of("kura.data", "/opt/eclipse/kura/data", "user.home", "/nonexistent");
        assertEquals(Paths.get("/opt/eclipse/kura/data/edgetune/models"), DataDirectories.resolve(p::get, DataDirectories.MODELS));
    }

    @Test
    public void onAStockKuraOnlyKuraHomeIsSetAndTheDataFolderIsUnderIt() {
        // Kura's start script passes -Dkura.home; kura.data lives in kura.properties, not in the properties
        Map<String, String> p = Map.of("kura.home", "/opt/eclipse/kura", "user.home", "/nonexistent");
        assertEquals(Paths.get("/opt/eclipse/kura/data/edgetune/uploads"), DataDirectories.resolve(p::get, DataDirectories.UPLOADS));
    }

    @Test
    public void kuraDataWinsOverKuraHome() {
        Map<String, String> p = Map.of("kura.home", "/opt/eclipse/kura", "kura.data", "/var/kura-data");
        assertEquals(Paths.get("/var/kura-data/edgetune"), DataDirectories.root(p::get));
    }

    @Test
    public void withNeitherPropertyItIsRelativeToTheWorkingDirectoryNotTheHome() {
        Map<String, String> p = Map.of("user.home", "/home/someone", "edgetune.data", "  ");
        assertEquals(Paths.get("edgetune-data", "javacpp-cache"), DataDirectories.resolve(p::get, DataDirectories.NATIVE_CACHE));
    }
}
