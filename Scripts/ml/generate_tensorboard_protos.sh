#!/usr/bin/env bash
# Regenerates Sources/TradewindML/Serialization/TensorBoardEvent.pb.swift from Scripts/ml/proto/TensorBoardEvent.proto.
# Needs protoc (Debian's protobuf-compiler) and protoc-gen-swift of the swift-protobuf version Package.swift names,
# built once in a scratch directory (the build and CI never build the plugin; the generated file is committed):
#   git clone https://github.com/apple/swift-protobuf /tmp/swift-protobuf && git -C /tmp/swift-protobuf checkout 1.39.0
#   (cd /tmp/swift-protobuf && swift build --product protoc-gen-swift)
# Usage: Scripts/ml/generate_tensorboard_protos.sh [path/to/protoc-gen-swift]
set -euo pipefail
cd "$(dirname "$0")/../.."
plugin=${1:-/tmp/swift-protobuf/.build/debug/protoc-gen-swift}
command -v protoc >/dev/null || { echo "protoc is missing: apt-get install protobuf-compiler" >&2; exit 1; }
[ -x "$plugin" ] || { echo "protoc-gen-swift not found at $plugin (see the comment at the top of this script)" >&2; exit 1; }
protoc --plugin=protoc-gen-swift="$plugin" --proto_path=Scripts/ml/proto \
    --swift_opt=Visibility=Internal --swift_out=Sources/TradewindML/Serialization \
    Scripts/ml/proto/TensorBoardEvent.proto
echo "wrote Sources/TradewindML/Serialization/TensorBoardEvent.pb.swift"
