package io.edgetune.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's chromium and chromedriver, installed with apt-get when missing, driven by Selenium. */
public final class HeadlessChromium {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Held so the level sticks: Selenium warns on every start that it has no CDP bindings for this chromium (unused here). */
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

    private HeadlessChromium() {
    }

    public static synchronized void ensureInstalled() throws Exception {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        Process apt = new ProcessBuilder("apt-get", "install", "-y", "-q", "chromium", "chromium-driver").inheritIO().start();
        if (!apt.waitFor(600, TimeUnit.SECONDS) || apt.exitValue() != 0) {
            throw new IllegalStateException("chromium is not installed and 'apt-get install -y chromium chromium-driver' failed;"
                    + " install the Debian packages chromium and chromium-driver to run the web pages' browser tests");
        }
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("apt-get installed chromium but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
        }
    }

    public static ChromeDriver start(Path profile) throws Exception {
        ensureInstalled();
        SELENIUM_LOG.setLevel(Level.SEVERE);
        Files.createDirectories(profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(profile.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: the build runs as root, where chromium's sandbox refuses to start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1600,1150", "--lang=en-US", "--user-data-dir=" + profile.toAbsolutePath().resolve("profile"));
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(15));
        return driver;
    }

    /** Quits the browser (if started), then closes the server it looked at (if started). */
    public static void stop(ChromeDriver browser, AutoCloseable server) throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }
}
