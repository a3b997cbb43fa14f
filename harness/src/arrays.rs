//! ndarray support (the `ndarray` feature): arrays as observations, random arrays, and the
//! ndarray operations on `f64` arrays instantiated once for every build.

use crate::{Json, Rng};
use ndarray::{Array1, Array2, ArrayView1, Axis, Zip};

impl From<Array2<f64>> for Json {
    /// A matrix, row by row.
    fn from(array: Array2<f64>) -> Json {
        Json::Array(
            array
                .outer_iter()
                .map(|row| Json::numbers(&row.to_vec()))
                .collect(),
        )
    }
}

impl From<&Array2<f64>> for Json {
    /// A matrix, row by row.
    fn from(array: &Array2<f64>) -> Json {
        Json::matrix(array.outer_iter().map(|row| row.to_vec()))
    }
}

impl From<Array1<f64>> for Json {
    /// A series.
    fn from(array: Array1<f64>) -> Json {
        Json::numbers(&array.to_vec())
    }
}

impl Rng {
    /// A (rows, cols) array of numbers drawn uniformly from [low, high), filled row by row.
    pub fn uniform_array(&mut self, rows: usize, cols: usize, low: f64, high: f64) -> Array2<f64> {
        Array2::from_shape_simple_fn((rows, cols), || self.uniform(low, high))
    }
}

/// Instantiates, once, the generic ndarray operations on `f64` arrays that the given files, the
/// probe and students' code use; never called. rustc reuses these instances in every build
/// (generics are shared between crates at opt-levels 0 and 1), which shortens each compile.
#[inline(never)]
pub fn instantiate(a: &Array2<f64>, b: &Array2<f64>, row: ArrayView1<f64>, s: f64) -> f64 {
    let products = [
        a.dot(b),
        a.t().dot(b),
        a.dot(&b.t()),
        a.view().dot(&b.view()),
        a.t().dot(&b.t()),
    ];
    let mut c = &products[0] * &products[1];
    let d = &c - &products[2];
    let e = &d + &products[3];
    let f = &e / &products[4];
    let g = &f / s;
    let h = s * &g;
    let i = &h * s;
    let j = &i - s;
    let k = &j + s;
    let l = a - b;
    let m = a + b;
    let n = a * b;
    let o = a.clone() - b;
    let p = a.clone() + b;
    let q = a.clone() * b;
    let r = a.clone() / s;
    let t = a.clone() * s;
    c -= &d;
    c += &e;
    c *= &f;
    c /= &g;
    c -= s;
    c *= s;
    c.scaled_add(-s, &h);
    let mut u = Array2::<f64>::zeros(a.raw_dim());
    u.assign(&k);
    u.fill(s);
    let v = Array2::<f64>::from_elem((1, 1), s);
    let w = Array2::<f64>::from_shape_vec((1, 1), vec![s]).unwrap_or(v.clone());
    let x = row.to_owned().insert_axis(Axis(1));
    let y = x
        .clone()
        .into_shape_with_order((1, x.len()))
        .unwrap_or(w.clone());
    let mut z = Array2::<f64>::zeros((2, 2));
    Zip::from(&mut z).and(&c).for_each(|z, &c| *z = c);
    let mut total = 0.0;
    for array in [
        &c, &d, &e, &f, &g, &h, &i, &j, &k, &l, &m, &n, &o, &p, &q, &r, &t, &u, &v, &w, &x, &y, &z,
    ] {
        total += array.sum() + array.iter().sum::<f64>() + array.fold(0.0, |acc, v| acc + v);
        for row in array.outer_iter() {
            total += row.sum() + row.to_vec().len() as f64;
        }
        for position in ndarray::indices(array.raw_dim()) {
            total += array[position];
        }
        total += array.t().to_owned().sum() + array.nrows() as f64 + array.ncols() as f64;
        total += array.mapv(f64::exp).sum() + array.map(|v| v.max(0.0)).sum();
        total += array.column(0).sum() + array.row(0).sum() + array[[0, 0]];
        total += if array.dim() == a.dim() && array.shape() == b.shape() {
            1.0
        } else {
            0.0
        };
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_are_reported_row_by_row() {
        let a = Array2::from_shape_vec((2, 1), vec![1.0, f64::NAN]).unwrap();
        assert_eq!(Json::from(&a).to_text(), r#"[[1.0],["NaN"]]"#);
        assert_eq!(Json::from(a).to_text(), r#"[[1.0],["NaN"]]"#);
        let empty = Array2::<f64>::zeros((0, 3));
        assert_eq!(Json::from(empty).to_text(), "[]");
    }

    #[test]
    fn random_arrays_fill_row_by_row_from_the_same_sequence() {
        let mut a = Rng::new(5);
        let mut b = Rng::new(5);
        let array = a.uniform_array(2, 3, -1.0, 1.0);
        assert_eq!(
            array.iter().copied().collect::<Vec<_>>(),
            b.uniform_vec(6, -1.0, 1.0)
        );
    }
}
