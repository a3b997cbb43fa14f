//! What the grader says about its slow steps, for whoever shows progress: the binary's spinner, a
//! batch's bar, a sweep that says nothing. The steps that take seconds are deep in the pipeline
//! (building the dependencies, the reference), but how to show them is the command's business.

/// A slow step, as the grader reports it.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// A slow step begins: worth a line, even in a log.
    Begin(&'a str),
    /// How far it has got, said in full and short enough for one terminal row: worth showing
    /// on a live line only.
    Step(&'a str),
}
