//go:build !race

package telegram_test

const raceEnabled = false
