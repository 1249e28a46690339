//! (Being built.)

/// Training flags.
#[derive(clap::Args, Debug)]
pub struct TrainArgs {}

/// Evaluation flags.
#[derive(clap::Args, Debug)]
pub struct EvalArgs {}

pub fn train(_a: TrainArgs) -> anyhow::Result<()> {
    anyhow::bail!("not built yet")
}

pub fn eval(_a: EvalArgs) -> anyhow::Result<()> {
    anyhow::bail!("not built yet")
}
