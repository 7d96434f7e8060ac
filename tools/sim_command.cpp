// `botify sim`: the user simulator (docs/contracts.md §8). Flags only; the work is in tools/sim/.
#include "tools/command.h"
#include "tools/sim/sim_run.h"

namespace botify::tools {
namespace {

void AddHttpFlags(CLI::App* cmd, HttpDriverOptions& h) {
  cmd->add_option("--host", h.host, "Server address (loopback)")->capture_default_str();
  cmd->add_option("--port", h.port, "Server port")->capture_default_str();
  cmd->add_option("--connections", h.connections, "Concurrent keep-alive connections")
      ->capture_default_str();
  cmd->add_option("--retries", h.retries, "Retries of a failed request (with backoff)")
      ->capture_default_str();
  cmd->add_option("--timeout-ms", h.timeout_ms, "Bound on connect, write and read of a request")
      ->capture_default_str();
  cmd->add_option("--max-failed-episodes", h.max_failed_episodes,
                  "Dropped episodes per day tolerated before the run stops")
      ->capture_default_str();
}

}  // namespace

void AddSimCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "sim", "Simulate users: drive a server over HTTP (or an in-process policy) for N days");
  auto o = std::make_shared<SimRunOptions>();
  cmd->add_option("--world", o->world_dir,
                  "Directory with tracks.json, users.json and the embeddings (tracks.npy or "
                  "embeddings.npy)")
      ->required();
  cmd->add_option("--embeddings", o->embeddings,
                  "Embeddings .npy file to use instead of the world's tracks.npy / embeddings.npy");
  cmd->add_option("--episodes", o->episodes, "Episodes (sessions) per day")->capture_default_str();
  cmd->add_option("--days", o->days, "Number of days")->capture_default_str();
  cmd->add_option("--seed", o->sim.seed, "Seed; episode i uses stream (seed, i)")
      ->capture_default_str();
  cmd->add_option("--max-steps", o->sim.max_steps, "Safety bound on recommendations per episode")
      ->capture_default_str();
  cmd->add_option(
      "--in-process", o->in_process,
      "Run without a server against a built-in policy: random, oracle, artist_oracle or "
      "history");
  cmd->add_option("--between-days", o->between_days,
                  "Shell command run between days (e.g. retrain and reload the index)");
  cmd->add_flag("--pause", o->pause, "Wait for Enter between days");
  cmd->add_flag("--drift", o->drift,
                "Drifting world: apply the world's drift.json/drift.npy (`world gen --drift`) "
                "to listen times; episode i is at day i / --episodes. Off by default");
  cmd->add_option("--episodes-out", o->episodes_out, "Write per-episode stats (JSON lines)");
  cmd->add_flag("!--no-progress", o->progress, "No progress bar on stderr");
  AddHttpFlags(cmd, o->http);
  cmd->callback([o] { ExitIfError("sim", RunSimulation(*o, stdout)); });
}

}  // namespace botify::tools
