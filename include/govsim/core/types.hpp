#pragma once
/// \file types.hpp
/// Eigen aliases used across govsim. Everything is on `double`.

#include <Eigen/Core>
#include <Eigen/SparseCore>

#include <string>
#include <vector>

namespace govsim {

using Index = Eigen::Index;                                   ///< signed index type (Eigen's)
using Vector = Eigen::VectorXd;                               ///< column vector
using RowVector = Eigen::RowVectorXd;                         ///< row vector
using Matrix = Eigen::MatrixXd;                               ///< column-major dense matrix
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ComplexVector = Eigen::VectorXcd;                       ///< complex column vector
using SparseMatrix = Eigen::SparseMatrix<double>;             ///< column-major sparse matrix
using Names = std::vector<std::string>;                       ///< ordered labels

}  // namespace govsim
