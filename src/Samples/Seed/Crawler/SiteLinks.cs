using System.Text.RegularExpressions;

namespace Distributed.Samples.Seed.Crawler;

/// <summary>The links of a page that stay on its site, made absolute: what both crawlers follow.</summary>
public static partial class SiteLinks
{
    public static IEnumerable<string> Parse(Uri page, string html)
    {
        foreach (Match link in HrefPattern().Matches(html))
        {
            var target = new Uri(page, link.Groups[1].Value);
            if (target.Host == page.Host && target.Port == page.Port)
            {
                yield return target.AbsoluteUri;
            }
        }
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex HrefPattern();
}
