// Command logverify checks what Intake's audit log publishes — its signed checkpoints, a
// citizen's proof.json receipt, inclusion proofs and consistency proofs — with Go's own
// golang.org/x/mod/sumdb/note (C2SP signed notes) and golang.org/x/mod/sumdb/tlog (RFC 6962 /
// RFC 9162 Merkle proofs), independently of Intake's Python code.
//
// Usage:
//
//	logverify checkpoint  -key VKEY NOTE...
//	logverify receipt     -key VKEY [-case CODE] PROOF.json...
//	logverify inclusion   -key VKEY [-receipt PROOF.json] NOTE INCLUSION.json...
//	logverify consistency -key VKEY [-old OLD_NOTE] NEW_NOTE CONSISTENCY.json...
//
// VKEY is the verifier key as GET /audit/key serves it (name+hash+base64(0x01‖key)), or @FILE
// to read it from a file. NOTE is a signed checkpoint as GET /audit/checkpoint serves it.
// PROOF.json is what GET /track/CODE/proof.json serves; INCLUSION.json and CONSISTENCY.json are
// what GET /audit/proof/inclusion and GET /audit/proof/consistency serve. Without -old, a
// consistency proof's old root is the one the JSON claims (unsigned): the proof then shows that
// this root is a prefix of the signed new one.
//
// A checkpoint's origin line must be the key's name (C2SP tlog-checkpoint: "SHOULD match"), or
// the -origin given.
//
// Each check that holds prints a line starting with "OK"; the first that does not prints
// "REJECTED: ..." on stderr and exits with status 1 (status 2: a usage error).
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	command, args := os.Args[1], os.Args[2:]
	switch command {
	case "checkpoint":
		runCheckpoint(args)
	case "receipt":
		runReceipt(args)
	case "inclusion":
		runInclusion(args)
	case "consistency":
		runConsistency(args)
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage:
  logverify checkpoint  -key VKEY NOTE...
  logverify receipt     -key VKEY [-case CODE] PROOF.json...
  logverify inclusion   -key VKEY [-receipt PROOF.json] NOTE INCLUSION.json...
  logverify consistency -key VKEY [-old OLD_NOTE] NEW_NOTE CONSISTENCY.json...
VKEY: name+hash+key, or @FILE holding it; -origin ORIGIN: the expected origin line
(default: the key's name)`)
	os.Exit(2)
}

// fail reports the first check that does not hold, and stops.
func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "REJECTED: "+format+"\n", args...)
	os.Exit(1)
}

// common holds the options every command takes.
type common struct {
	flags  *flag.FlagSet
	key    *string
	origin *string
}

func newCommon(name string) *common {
	flags := flag.NewFlagSet(name, flag.ExitOnError)
	return &common{
		flags:  flags,
		key:    flags.String("key", "", "the verifier key (name+hash+key) or @FILE"),
		origin: flags.String("origin", "", "the expected origin line (default: the key's name)"),
	}
}

// parse reads the flags, and the verifier key; positional arguments number at least min.
func (c *common) parse(args []string, min int) (note.Verifier, string, []string) {
	if err := c.flags.Parse(args); err != nil {
		usage()
	}
	if *c.key == "" || c.flags.NArg() < min {
		usage()
	}
	vkey := *c.key
	if strings.HasPrefix(vkey, "@") {
		vkey = strings.TrimSpace(string(readFile(vkey[1:])))
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail("the verifier key %q: %v", vkey, err)
	}
	origin := *c.origin
	if origin == "" {
		origin = verifier.Name()
	}
	return verifier, origin, c.flags.Args()
}

func readFile(path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	return data
}

// decodeJSON reads a JSON document into doc, refusing trailing data.
func decodeJSON(path string, doc interface{}) {
	decoder := json.NewDecoder(bytes.NewReader(readFile(path)))
	if err := decoder.Decode(doc); err != nil {
		fail("%s: not the JSON expected: %v", path, err)
	}
	if decoder.More() {
		fail("%s: data after the JSON document", path)
	}
}

// decodeBase64 decodes standard base64 (RFC 4648 §4), refusing any text that is not the
// canonical encoding of what it decodes to.
func decodeBase64(text, what string) []byte {
	data, err := base64.StdEncoding.DecodeString(text)
	if err != nil || base64.StdEncoding.EncodeToString(data) != text {
		fail("%s: not canonical base64: %q", what, text)
	}
	return data
}

func decodeHash(text, what string) tlog.Hash {
	hash, err := tlog.ParseHash(text)
	if err != nil || hash.String() != text {
		fail("%s: not a base64 SHA-256 hash: %q", what, text)
	}
	return hash
}

func decodeHashes(texts []string, what string) []tlog.Hash {
	hashes := make([]tlog.Hash, len(texts))
	for i, text := range texts {
		hashes[i] = decodeHash(text, fmt.Sprintf("%s[%d]", what, i))
	}
	return hashes
}

// Checkpoints (C2SP tlog-checkpoint in a C2SP signed note).

type checkpoint struct {
	Origin  string
	Size    int64
	Root    tlog.Hash
	Signers []string
}

// openCheckpoint verifies the note's signature with the verifier and parses its text.
func openCheckpoint(verifier note.Verifier, origin string, data []byte, what string) checkpoint {
	opened, err := note.Open(data, note.VerifierList(verifier))
	if err != nil {
		switch problem := err.(type) {
		case *note.UnverifiedNoteError:
			var others []string
			for _, sig := range problem.Note.UnverifiedSigs {
				others = append(others, fmt.Sprintf("%s+%08x", sig.Name, sig.Hash))
			}
			fail("%s: not signed by the key %s+%08x (signed only by %s)", what, verifier.Name(),
				verifier.KeyHash(), strings.Join(others, ", "))
		case *note.InvalidSignatureError:
			fail("%s: the signature of %s+%08x does not verify: the note was altered (%v)", what,
				problem.Name, problem.Hash, err)
		default:
			fail("%s: not a signed note: %v", what, err)
		}
	}
	// note.Open keeps the text up to and including its last newline before the signatures.
	lines := strings.Split(strings.TrimSuffix(opened.Text, "\n"), "\n")
	if len(lines) < 3 {
		fail("%s: a checkpoint's text has an origin, a tree size and a root hash: %q", what,
			opened.Text)
	}
	for i, line := range lines {
		if line == "" {
			fail("%s: line %d of the checkpoint is empty", what, i+1)
		}
	}
	if lines[0] != origin {
		fail("%s: the origin line is %q, not %q", what, lines[0], origin)
	}
	// tlog.ParseTree reads the old go.sum database tree format, whose size and hash lines are
	// a checkpoint's; it is given them under the header it expects.
	tree, err := tlog.ParseTree([]byte("go.sum database tree\n" + strings.Join(lines[1:], "\n") +
		"\n"))
	if err != nil {
		fail("%s: the tree size %q and root hash %q: %v", what, lines[1], lines[2], err)
	}
	if size, err := strconv.ParseInt(lines[1], 10, 64); err != nil || size != tree.N ||
		lines[1] != strconv.FormatInt(size, 10) {
		fail("%s: the tree size %q is not plain decimal", what, lines[1])
	}
	if decodeHash(lines[2], what+": root hash") != tree.Hash {
		fail("%s: the root hash %q does not read back", what, lines[2])
	}
	var signers []string
	for _, sig := range opened.Sigs {
		signers = append(signers, fmt.Sprintf("%s+%08x", sig.Name, sig.Hash))
	}
	return checkpoint{lines[0], tree.N, tree.Hash, signers}
}

func (c checkpoint) String() string {
	return fmt.Sprintf("origin %q, tree size %d, root %s, signed by %s", c.Origin, c.Size, c.Root,
		strings.Join(c.Signers, ", "))
}

func runCheckpoint(args []string) {
	options := newCommon("checkpoint")
	verifier, origin, paths := options.parse(args, 1)
	for _, path := range paths {
		cp := openCheckpoint(verifier, origin, readFile(path), path)
		fmt.Printf("OK checkpoint %s: %s\n", path, cp)
	}
}

// Receipts: GET /track/CODE/proof.json.

type receiptDoc struct {
	LeafIndex  *int64    `json:"leaf_index"`
	TreeSize   *int64    `json:"tree_size"`
	Entry      *string   `json:"entry"`
	Inclusion  *[]string `json:"inclusion"`
	Checkpoint *string   `json:"checkpoint"`
}

// verifyReceipt checks a proof.json completely; it returns the leaf's index and hash.
func verifyReceipt(verifier note.Verifier, origin, path, trackingCode string) (int64, tlog.Hash) {
	var doc receiptDoc
	decodeJSON(path, &doc)
	if doc.LeafIndex == nil || doc.TreeSize == nil || doc.Entry == nil || doc.Inclusion == nil ||
		doc.Checkpoint == nil {
		fail("%s: a receipt has leaf_index, tree_size, entry, inclusion and checkpoint", path)
	}
	cp := openCheckpoint(verifier, origin, []byte(*doc.Checkpoint), path+": checkpoint")
	fmt.Printf("OK checkpoint in %s: %s\n", path, cp)
	index, size := *doc.LeafIndex, *doc.TreeSize
	if size != cp.Size {
		fail("%s: tree_size is %d but the signed checkpoint is of tree size %d", path, size,
			cp.Size)
	}
	if index < 0 || index >= size {
		fail("%s: no leaf %d in a tree of size %d", path, index, size)
	}
	entry := decodeBase64(*doc.Entry, path+": entry")
	leaf := tlog.RecordHash(entry)
	proof := tlog.RecordProof(decodeHashes(*doc.Inclusion, path+": inclusion"))
	if err := tlog.CheckRecord(proof, size, cp.Root, index, leaf); err != nil {
		fail("%s: the inclusion proof does not lead from leaf %d (hash %s) to the signed root "+
			"%s of tree size %d: %v", path, index, leaf, cp.Root, size, err)
	}
	fmt.Printf("OK inclusion in %s: leaf %d (hash %s) is in the tree of size %d (root %s), "+
		"%d proof hashes\n", path, index, leaf, size, cp.Root, len(proof))
	checkEntry(path, entry, index, trackingCode)
	return index, leaf
}

// checkEntry checks what Intake's entries say of themselves (workflows/audit/entries.py): a
// JSON object whose "event" id is the leaf index + 1, and whose "case" is the tracking code.
func checkEntry(path string, entry []byte, index int64, trackingCode string) {
	var body map[string]interface{}
	if err := json.Unmarshal(entry, &body); err != nil {
		fail("%s: the entry is not a JSON object: %v", path, err)
	}
	event, ok := body["event"].(float64)
	if !ok || event != float64(index+1) {
		fail("%s: the entry's event is %v, but leaf %d holds event %d", path, body["event"],
			index, index+1)
	}
	if trackingCode != "" && body["case"] != trackingCode {
		fail("%s: the entry is of case %v, not %s", path, body["case"], trackingCode)
	}
	fmt.Printf("OK entry in %s: %s\n", path, entry)
}

func runReceipt(args []string) {
	options := newCommon("receipt")
	trackingCode := options.flags.String("case", "", "the tracking code the entry must name")
	verifier, origin, paths := options.parse(args, 1)
	for _, path := range paths {
		verifyReceipt(verifier, origin, path, *trackingCode)
	}
}

// Inclusion proofs: GET /audit/proof/inclusion?index=N&size=M.

type inclusionDoc struct {
	LeafIndex *int64    `json:"leaf_index"`
	TreeSize  *int64    `json:"tree_size"`
	LeafHash  *string   `json:"leaf_hash"`
	RootHash  *string   `json:"root_hash"`
	Inclusion *[]string `json:"inclusion"`
}

func runInclusion(args []string) {
	options := newCommon("inclusion")
	receipt := options.flags.String("receipt", "",
		"a proof.json whose leaf the (first) inclusion proof must be of")
	verifier, origin, paths := options.parse(args, 2)
	cp := openCheckpoint(verifier, origin, readFile(paths[0]), paths[0])
	fmt.Printf("OK checkpoint %s: %s\n", paths[0], cp)
	var receiptIndex int64
	var receiptLeaf tlog.Hash
	if *receipt != "" {
		receiptIndex, receiptLeaf = verifyReceipt(verifier, origin, *receipt, "")
	}
	for i, path := range paths[1:] {
		var doc inclusionDoc
		decodeJSON(path, &doc)
		if doc.LeafIndex == nil || doc.TreeSize == nil || doc.LeafHash == nil ||
			doc.RootHash == nil || doc.Inclusion == nil {
			fail("%s: an inclusion proof has leaf_index, tree_size, leaf_hash, root_hash and "+
				"inclusion", path)
		}
		index, size := *doc.LeafIndex, *doc.TreeSize
		leaf := decodeHash(*doc.LeafHash, path+": leaf_hash")
		if size != cp.Size {
			fail("%s: tree_size is %d but the signed checkpoint is of tree size %d", path, size,
				cp.Size)
		}
		if root := decodeHash(*doc.RootHash, path+": root_hash"); root != cp.Root {
			fail("%s: root_hash is %s but the signed checkpoint's root is %s", path, root,
				cp.Root)
		}
		if index < 0 || index >= size {
			fail("%s: no leaf %d in a tree of size %d", path, index, size)
		}
		proof := tlog.RecordProof(decodeHashes(*doc.Inclusion, path+": inclusion"))
		if err := tlog.CheckRecord(proof, size, cp.Root, index, leaf); err != nil {
			fail("%s: the inclusion proof does not lead from leaf %d (hash %s) to the signed "+
				"root %s of tree size %d: %v", path, index, leaf, cp.Root, size, err)
		}
		fmt.Printf("OK inclusion %s: leaf %d (hash %s) is in the tree of size %d (root %s), "+
			"%d proof hashes\n", path, index, leaf, size, cp.Root, len(proof))
		if *receipt != "" && i == 0 {
			if index != receiptIndex || leaf != receiptLeaf {
				fail("%s: leaf %d (hash %s) is not the receipt's leaf %d (hash %s)", path, index,
					leaf, receiptIndex, receiptLeaf)
			}
			fmt.Printf("OK the leaf of %s is still in the tree of size %d\n", *receipt, size)
		}
	}
}

// Consistency proofs: GET /audit/proof/consistency?from=N&to=M.

type consistencyDoc struct {
	From        *int64    `json:"from"`
	To          *int64    `json:"to"`
	FromRoot    *string   `json:"from_root_hash"`
	ToRoot      *string   `json:"to_root_hash"`
	Consistency *[]string `json:"consistency"`
}

func runConsistency(args []string) {
	options := newCommon("consistency")
	oldPath := options.flags.String("old", "", "the older signed checkpoint")
	verifier, origin, paths := options.parse(args, 2)
	var old *checkpoint
	if *oldPath != "" {
		opened := openCheckpoint(verifier, origin, readFile(*oldPath), *oldPath)
		fmt.Printf("OK checkpoint %s: %s\n", *oldPath, opened)
		old = &opened
	}
	latest := openCheckpoint(verifier, origin, readFile(paths[0]), paths[0])
	fmt.Printf("OK checkpoint %s: %s\n", paths[0], latest)
	for _, path := range paths[1:] {
		var doc consistencyDoc
		decodeJSON(path, &doc)
		if doc.From == nil || doc.To == nil || doc.FromRoot == nil || doc.ToRoot == nil ||
			doc.Consistency == nil {
			fail("%s: a consistency proof has from, to, from_root_hash, to_root_hash and "+
				"consistency", path)
		}
		from, to := *doc.From, *doc.To
		fromRoot := decodeHash(*doc.FromRoot, path+": from_root_hash")
		if toRoot := decodeHash(*doc.ToRoot, path+": to_root_hash"); to != latest.Size ||
			toRoot != latest.Root {
			fail("%s: the proof is to tree size %d (root %s), not to the signed checkpoint's "+
				"size %d (root %s)", path, to, toRoot, latest.Size, latest.Root)
		}
		anchor := "as the proof claims, unsigned"
		if old != nil {
			if from != old.Size || fromRoot != old.Root {
				fail("%s: the proof is from tree size %d (root %s), not from the older signed "+
					"checkpoint's size %d (root %s)", path, from, fromRoot, old.Size, old.Root)
			}
			anchor = "signed"
		}
		proof := tlog.TreeProof(decodeHashes(*doc.Consistency, path+": consistency"))
		if from < 0 || from > to {
			fail("%s: no consistency proof from tree size %d to %d", path, from, to)
		}
		if from == 0 {
			// Every tree holds the empty one; tlog.CheckTree starts from one leaf.
			if len(proof) != 0 || fromRoot != tlog.Hash(sha256.Sum256(nil)) {
				fail("%s: a proof from the empty tree is empty, its root SHA-256(\"\")", path)
			}
		} else if err := tlog.CheckTree(proof, to, latest.Root, from, fromRoot); err != nil {
			fail("%s: the tree of size %d (root %s) is not shown to be a prefix of the signed "+
				"tree of size %d (root %s): %v", path, from, fromRoot, to, latest.Root, err)
		}
		fmt.Printf("OK consistency %s: the tree of size %d (root %s, %s) is a prefix of the "+
			"tree of size %d (root %s, signed), %d proof hashes\n", path, from, fromRoot, anchor,
			to, latest.Root, len(proof))
	}
}
