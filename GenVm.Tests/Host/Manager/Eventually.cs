namespace GenVm.Tests.Host.Manager;

/// <summary>
/// Waits for a condition another thread makes true (a request queued on the permit pool, a node request seen):
/// checks after each short yield, bounded so a broken condition fails the test instead of hanging it.
/// </summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("condition not reached in time");
            }

            await Task.Delay(5);
        }
    }
}
