"""Turns the figures into the tables bench/run.sh prints (and docs/BENCHMARKS.md quotes)."""

from harness.phases import median_of


def _redirect_table(figures):
    rows = [f"Redirects: {figures['links']:,} links, random codes, median of {figures['rounds']} "
            f"alternating rounds of {figures['seconds']} s",
            "| load | server | req/s | p50 ms | p99 ms | server CPU-us/req | of which hop's click flusher |",
            "|---|---|---:|---:|---:|---:|---:|"]
    for connections in (64, 256):
        nginx = median_of(figures["redirect_runs"], "nginx", connections)
        hop = median_of(figures["redirect_runs"], "hop", connections)
        for name, m in (("nginx", nginx), ("hop", hop)):
            flusher = "" if m["flusher_cpu_us"] is None else f"{m['flusher_cpu_us']:.2f}"
            rows.append(f"| -c{connections} | {name} | {m['rps']:,.0f} | {m['p50_ms']:.2f} | "
                        f"{m['p99_ms']:.2f} | {m['cpu_us']:.2f} | {flusher} |")
        rows.append(f"| -c{connections} | **hop/nginx** | **{hop['rps'] / nginx['rps']:.2f}** | "
                    f"{hop['p50_ms'] / nginx['p50_ms']:.2f} | {hop['p99_ms'] / nginx['p99_ms']:.2f} | "
                    f"**{hop['cpu_us'] / nginx['cpu_us']:.2f}** | |")
    rows.append(figures["click_check"])
    return rows


def _writes_and_stats(figures):
    creates, bulk = figures["creates"], figures["bulk"]
    rows = ["", "| measure | figure |", "|---|---:|",
            f"| creates over keep-alive HTTP (wrk -c64, 201 = committed) | {creates['rps']:,.0f} links/s "
            f"({1e6 * creates['cpu_seconds'] / creates['requests']:.1f} CPU-us each) |",
            f"| bulk creates (wrk -c4, 1,000 links per request) | {bulk['links_per_second']:,.0f} "
            f"links/s |"]
    for alias, s in figures["stats"].items():
        rows.append(f"| /stats of `{alias}` (wrk -c1) | p50 {s['p50_ms']:.3f} ms, "
                    f"p99 {s['p99_ms']:.3f} ms, {s['rps']:,.0f} req/s |")
    return rows


def _per_link(rss):
    grown = (rss["cached_kib"] - rss["idle_kib"]) * 1024 / rss["cached_links"]
    return grown, grown - rss["mean_url_bytes"]


def _memory(figures):
    first = {"idle_kib": figures["rss_idle_kib"], "cached_kib": figures["rss_cached_kib"],
             "cached_links": figures["cached_links"], "mean_url_bytes": figures["mean_url_bytes"]}
    rows = [f"| idle RSS (hop serve, store of {figures['links']:,} links) | "
            f"{figures['rss_idle_kib'] / 1024:.1f} MiB |"]
    for rss in (first, figures.get("rss_10m")):
        if not rss:
            continue
        grown, beyond = _per_link(rss)
        rows.append(f"| RSS with {rss['cached_links']:,} cached links | "
                    f"{rss['cached_kib'] / 1024:,.1f} MiB: {grown:.0f} B per link, {beyond:.0f} B beyond "
                    f"its URL ({rss['mean_url_bytes']:.0f} B on average) |")
    if "rss_cached_clicks_held_kib" in figures:
        held = dict(first, cached_kib=figures["rss_cached_clicks_held_kib"])
        grown, beyond = _per_link(held)
        rows.append(f"| … right after the warm-up, its clicks' minute still in memory | "
                    f"{held['cached_kib'] / 1024:,.1f} MiB: {grown:.0f} B per link, {beyond:.0f} B "
                    f"beyond its URL |")
    if "rss_10m" not in figures:
        rows.append("| RSS with 10,000,000 cached links | not measured (bench/run.sh --rss-10m) |")
    return rows


def render(figures):
    """The tables of whatever was measured: a run that failed a check still shows what came before."""
    rows = []
    if "click_check" in figures:
        rows += _redirect_table(figures)
    if "stats" in figures:
        rows += _writes_and_stats(figures)
    if "rss_cached_kib" in figures:
        rows += _memory(figures)
    rows.append(f"\n{figures['started']}, {figures['elapsed_seconds']:.0f} s")
    return "\n".join(rows)
